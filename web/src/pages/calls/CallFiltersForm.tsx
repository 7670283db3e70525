import type { Agent } from "../../api/types";
import { DIRECTIONS, STATUSES, hasFilters, type CallFilters } from "./callFilters";

const EMPTY: CallFilters = { agentId: "", status: "", direction: "", from: "", to: "" };

interface CallFiltersFormProps {
  filters: CallFilters;
  agents: Agent[];
  onChange: (filters: CallFilters) => void;
}

/** The calls list's filters; every change applies at once (and lands in the URL). */
export function CallFiltersForm({ filters, agents, onChange }: CallFiltersFormProps) {
  const set = <K extends keyof CallFilters>(key: K, value: CallFilters[K]) => onChange({ ...filters, [key]: value });
  return (
    <form className="call-filters card" aria-label="Filter calls" onSubmit={(event) => event.preventDefault()}>
      <div>
        <label htmlFor="filter-agent">Agent</label>
        <select id="filter-agent" value={filters.agentId} onChange={(event) => set("agentId", event.target.value)}>
          <option value="">All agents</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
          {filters.agentId && !agents.some((agent) => agent.id === filters.agentId) && (
            <option value={filters.agentId}>{filters.agentId}</option>
          )}
        </select>
      </div>
      <div>
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={filters.status}
          onChange={(event) => set("status", event.target.value as CallFilters["status"])}
        >
          <option value="">Any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status.replace("_", " ")}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-direction">Direction</label>
        <select
          id="filter-direction"
          value={filters.direction}
          onChange={(event) => set("direction", event.target.value as CallFilters["direction"])}
        >
          <option value="">Any direction</option>
          {DIRECTIONS.map((direction) => (
            <option key={direction} value={direction}>
              {direction}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-from">Started from</label>
        <input
          id="filter-from"
          type="date"
          value={filters.from}
          onChange={(event) => set("from", event.target.value)}
        />
      </div>
      <div>
        <label htmlFor="filter-to">Started until</label>
        <input id="filter-to" type="date" value={filters.to} onChange={(event) => set("to", event.target.value)} />
      </div>
      <div className="call-filters-clear">
        <button type="button" onClick={() => onChange(EMPTY)} disabled={!hasFilters(filters)}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
