import type { Call } from "../../api/types";
import { formatOffsetMs } from "./format";

/** Variables a flow collected, as a two-column table. */
export function CollectedVariables({ variables }: { variables: Record<string, unknown> }) {
  const entries = Object.entries(variables);
  if (entries.length === 0) return <p className="muted">No variables were collected.</p>;
  return (
    <table className="data compact" data-testid="collected-variables">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td>{typeof value === "string" ? value : JSON.stringify(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Fallback providers the call switched to, and why. */
export function ProviderSwitches({ switches }: { switches: NonNullable<Call["provider_switches"]> }) {
  return (
    <table className="data compact" data-testid="provider-switches">
      <thead>
        <tr>
          <th scope="col">At</th>
          <th scope="col">Stage</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {switches.map((entry, i) => (
          <tr key={i}>
            <td>{formatOffsetMs(entry.t_ms)}</td>
            <td>{entry.stage}</td>
            <td>
              <code>{entry.from}</code>
            </td>
            <td>
              <code>{entry.to}</code>
            </td>
            <td>{entry.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Metadata({ metadata }: { metadata: Record<string, unknown> }) {
  if (Object.keys(metadata).length === 0) return <p className="muted">No metadata.</p>;
  return (
    <pre className="call-metadata" data-testid="call-metadata">
      {JSON.stringify(metadata, null, 2)}
    </pre>
  );
}
