import type { ReloadResult } from "./reloadResult";

function NameList({ title, names }: { title: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <li>
      {title}: {names.map((name, index) => (
        <span key={name}>
          {index > 0 && ", "}
          <code>{name}</code>
        </span>
      ))}
    </li>
  );
}

/** What a reload changed for new calls. */
export function ReloadResultView({ result }: { result: ReloadResult }) {
  const { added, removed, reinitialised } = result.providers;
  const unchanged = added.length + removed.length + reinitialised.length === 0;
  const defaults = Object.entries(result.agent_defaults ?? {});
  return (
    <div className="reload-result" role="status">
      <p>
        <strong>Reloaded:</strong> generation {result.generation}, loaded {new Date(result.loaded_at).toLocaleString()}.
        {unchanged && " No provider was added, removed or reinitialised."}
      </p>
      <ul>
        <NameList title="Added" names={added} />
        <NameList title="Removed" names={removed} />
        <NameList title="Reinitialised" names={reinitialised} />
        <NameList
          title="Waiting for a restart (plugins)"
          names={result.restart_needed.map((plugin) => `${plugin.plugin} (${plugin.reason})`)}
        />
        <NameList title="Changed keys that apply only at start-up" names={result.restart_needed_keys} />
        {result.refused.length > 0 && <li>{result.refused.length} plugin(s) refused (listed below).</li>}
      </ul>
      {defaults.length > 0 && (
        <p className="muted">
          Agent defaults now:{" "}
          {defaults.map(([key, value], index) => (
            <span key={key}>
              {index > 0 && ", "}
              {key} <code>{value}</code>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
