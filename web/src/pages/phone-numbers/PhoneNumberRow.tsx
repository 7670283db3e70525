import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { Agent, PhoneNumber } from "../../api/types";
import { ConfirmButton } from "../../components/forms/ConfirmButton";
import { ErrorMessage } from "../../components/Status";

type PhoneNumberChange = { assigned_agent_id?: string | null; status?: "active" | "inactive" };

/** One number: assign or unassign it inline, switch it on or off, delete it. */
export function PhoneNumberRow({ phoneNumber, agents }: { phoneNumber: PhoneNumber; agents: Agent[] }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["phone-numbers"] });
  const update = useMutation({
    mutationFn: (change: PhoneNumberChange) =>
      unwrap(
        api.PUT("/api/phone-numbers/{phone_number_id}", {
          params: { path: { phone_number_id: phoneNumber.id } },
          body: change,
        }),
      ),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/phone-numbers/{phone_number_id}", { params: { path: { phone_number_id: phoneNumber.id } } })),
    onSuccess: refresh,
  });
  const assigned = phoneNumber.assigned_agent_id;
  const knownAgent = agents.find((agent) => agent.id === assigned);
  const busy = update.isPending || remove.isPending;
  const error = update.error ?? remove.error;
  const label = phoneNumber.nickname ? `${phoneNumber.number} (${phoneNumber.nickname})` : phoneNumber.number;

  return (
    <>
      <tr>
        <td>
          <code>{phoneNumber.number}</code>
        </td>
        <td>{phoneNumber.nickname || <span className="muted">—</span>}</td>
        <td>
          <select
            aria-label={`Agent for ${label}`}
            value={assigned ?? ""}
            disabled={busy}
            onChange={(event) => update.mutate({ assigned_agent_id: event.target.value || null })}
          >
            <option value="">Unassigned</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
            {assigned && !knownAgent && <option value={assigned}>{assigned}</option>}
          </select>
        </td>
        <td>
          {assigned ? (
            <select
              aria-label={`Status of ${label}`}
              value={phoneNumber.status === "inactive" ? "inactive" : "active"}
              disabled={busy}
              onChange={(event) => update.mutate({ status: event.target.value === "inactive" ? "inactive" : "active" })}
            >
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
            </select>
          ) : (
            <span className="badge">unassigned</span>
          )}
        </td>
        <td className="number">{phoneNumber.calls_received}</td>
        <td className="row-actions">
          <ConfirmButton
            question={`Delete ${phoneNumber.number}?`}
            confirmLabel="Yes, delete"
            onConfirm={() => remove.mutate()}
            busy={busy}
          >
            Delete
          </ConfirmButton>
        </td>
      </tr>
      {error && (
        <tr className="row-error">
          <td colSpan={6}>
            <ErrorMessage error={error} title={phoneNumber.number} />
          </td>
        </tr>
      )}
    </>
  );
}
