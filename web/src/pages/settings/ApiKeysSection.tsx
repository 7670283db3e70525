import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { ApiKey } from "../../api/types";
import { ConfirmButton } from "../../components/forms/ConfirmButton";
import { Field, fieldAria } from "../../components/forms/Field";
import { FormErrorSummary } from "../../components/forms/FormErrorSummary";
import { indexFieldErrors } from "../../components/forms/fieldErrors";
import { ErrorMessage, Loading } from "../../components/Status";

const formatTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : null);

/** The secret of a key just created: shown this once, since voxd keeps only its hash. */
function NewKeyNotice({ created, onDone }: { created: ApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key ?? "");
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="new-key" role="region" aria-label="New API key">
      <p>
        <strong>Copy the key of “{created.name}” now.</strong> It is shown only this once: voxd keeps only a hash of it,
        so a lost key cannot be shown again, only replaced.
      </p>
      <div className="new-key-value">
        <code data-testid="new-key">{created.key}</code>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="muted" role="status" aria-live="polite">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Cannot copy here: select the key and copy it." : ""}
      </p>
    </div>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/keys/{key_id}", { params: { path: { key_id: apiKey.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["api-keys"] }),
  });
  const revoked = Boolean(apiKey.revoked_at);
  return (
    <>
      <tr className={revoked ? "revoked" : undefined}>
        <td>{apiKey.name}</td>
        <td>
          <code>{apiKey.prefix}…</code>
        </td>
        <td>
          <span className={`badge ${apiKey.role === "admin" ? "live" : ""}`}>{apiKey.role}</span>
        </td>
        <td>{formatTime(apiKey.created_at)}</td>
        <td>{formatTime(apiKey.last_used_at) ?? <span className="muted">never</span>}</td>
        <td className="row-actions">
          {revoked ? (
            <span className="badge bad">revoked {formatTime(apiKey.revoked_at)}</span>
          ) : (
            <ConfirmButton
              question={`Revoke “${apiKey.name}”? Anything using it stops working.`}
              confirmLabel="Yes, revoke"
              onConfirm={() => revoke.mutate()}
              busy={revoke.isPending}
            >
              Revoke
            </ConfirmButton>
          )}
        </td>
      </tr>
      {revoke.error && (
        <tr>
          <td colSpan={6}>
            <ErrorMessage error={revoke.error} title={`Cannot revoke “${apiKey.name}”`} />
          </td>
        </tr>
      )}
    </>
  );
}

/** API keys: list, create (the secret shown once), revoke. */
export function ApiKeysSection() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => unwrap(api.GET("/api/keys")) });
  const [name, setName] = useState("");
  const [role, setRole] = useState<"admin" | "read_only">("admin");
  const [created, setCreated] = useState<ApiKey | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/keys", { body: { name: name.trim(), role } })),
    onSuccess: async (key) => {
      setCreated(key);
      setName("");
      await queryClient.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const errors = indexFieldErrors(create.error, ["/name", "/role"]);

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      {created && <NewKeyNotice created={created} onDone={() => setCreated(null)} />}
      {keys.error ? (
        <ErrorMessage error={keys.error} title="Cannot list the keys" />
      ) : !keys.data ? (
        <Loading what="API keys" />
      ) : (
        <table className="data keys-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((apiKey) => (
              <KeyRow key={apiKey.id} apiKey={apiKey} />
            ))}
          </tbody>
        </table>
      )}
      <form
        className="create-key"
        aria-label="Create an API key"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <h3>Create a key</h3>
        <div className="create-key-fields">
          <Field id="key-name" label="Name" hint="What uses it, e.g. ci." error={errors.forField("/name")}>
            <input {...fieldAria("key-name", errors.forField("/name"), true)} value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
          <Field id="key-role" label="Role" hint="Read-only keys may only read (GET)." error={errors.forField("/role")}>
            <select
              {...fieldAria("key-role", errors.forField("/role"), true)}
              value={role}
              onChange={(event) => setRole(event.target.value === "read_only" ? "read_only" : "admin")}
            >
              <option value="admin">admin</option>
              <option value="read_only">read_only</option>
            </select>
          </Field>
          <div className="create-key-submit">
            <button type="submit" className="primary" disabled={create.isPending || name.trim() === ""}>
              {create.isPending ? "Creating…" : "Create key"}
            </button>
          </div>
        </div>
        <FormErrorSummary error={create.error} unmatched={errors.unmatched} />
      </form>
    </section>
  );
}
