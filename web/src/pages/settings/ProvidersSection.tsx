import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { usePlugins, type ProviderInfo } from "../../api/hooks";
import { ErrorMessage, Loading } from "../../components/Status";
import type { ReloadResult } from "./reloadResult";
import { ReloadResultView } from "./ReloadResultView";

const KIND_TITLES: Record<string, string> = {
  stt: "Speech-to-text",
  llm: "Language models",
  tts: "Text-to-speech",
  vad: "Voice-activity detection",
  transport: "Transports",
  flow_node: "Call-flow node types",
};

function groupByKind(providers: ProviderInfo[]): [string, ProviderInfo[]][] {
  const groups = new Map<string, ProviderInfo[]>();
  for (const provider of providers) groups.set(provider.kind, [...(groups.get(provider.kind) ?? []), provider]);
  const order = Object.keys(KIND_TITLES);
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

// GET /api/plugins gives each provider a description; the shared ProviderInfo type does not name it yet.
function descriptionOf(provider: ProviderInfo): string {
  const description = (provider as ProviderInfo & { description?: unknown }).description;
  return typeof description === "string" ? description : "";
}

/** The providers new calls use, refused plugins with their reasons, and reloading the configuration. */
export function ProvidersSection() {
  const queryClient = useQueryClient();
  const plugins = usePlugins();
  const reload = useMutation({
    mutationFn: async () => (await unwrap(api.POST("/api/system/reload"))) as unknown as ReloadResult,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["plugins"] }),
  });
  const registry = plugins.data;

  return (
    <section className="card" aria-labelledby="providers-title">
      <div className="section-header">
        <h2 id="providers-title">Providers</h2>
        <button type="button" onClick={() => reload.mutate()} disabled={reload.isPending}>
          {reload.isPending ? "Reloading…" : "Reload configuration"}
        </button>
      </div>
      <p className="muted">
        Reloading re-reads voxd's configuration and switches new calls to the providers it names; live calls finish on
        theirs.
      </p>
      {reload.error && <ErrorMessage error={reload.error} title="Reload refused" />}
      {reload.data && <ReloadResultView result={reload.data} />}

      {plugins.error ? (
        <ErrorMessage error={plugins.error} title="Cannot list the providers" />
      ) : !registry ? (
        <Loading what="providers" />
      ) : (
        <>
          <p>
            Generation <strong>{registry.generation}</strong>, loaded {new Date(registry.loaded_at).toLocaleString()}
            {typeof registry.previous_generations_in_use === "number" && registry.previous_generations_in_use > 0 && (
              <> · {registry.previous_generations_in_use} older generation(s) still serving live calls</>
            )}
          </p>
          {groupByKind(registry.providers).map(([kind, providers]) => (
            <div key={kind} className="provider-group">
              <h3>{KIND_TITLES[kind] ?? kind}</h3>
              <table className="data providers-table">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Version</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {providers.map((provider) => (
                    <tr key={provider.key}>
                      <td>
                        <code>{provider.key}</code>
                      </td>
                      <td>{provider.version ?? "—"}</td>
                      <td>{descriptionOf(provider)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
          <h3>Refused plugins</h3>
          {registry.refused.length === 0 ? (
            <p className="muted">None: every plugin found was loaded.</p>
          ) : (
            <ul className="refused-list">
              {registry.refused.map((refused) => (
                <li key={refused.path}>
                  <code>{refused.path}</code>
                  <div className="refused-reason">{refused.reason}</div>
                </li>
              ))}
            </ul>
          )}
          <h3>Disabled providers</h3>
          {registry.disabled && registry.disabled.length > 0 ? (
            <p>
              {registry.disabled.map((disabled, index) => (
                <span key={disabled.key} title={disabled.path}>
                  {index > 0 && ", "}
                  <code>{disabled.key}</code>
                </span>
              ))}
            </p>
          ) : (
            <p className="muted">None (configuration key plugin.disabled).</p>
          )}
        </>
      )}
    </section>
  );
}
