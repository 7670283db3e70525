import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, unwrapPage } from "../../api/client";
import type { Agent } from "../../api/types";
import { Pager } from "../../components/forms/Pager";
import { useCursorPager } from "../../components/forms/useCursorPager";
import { Empty, ErrorMessage, Loading, PageHeader } from "../../components/Status";
import "./agents.css";

export const AGENTS_PAGE_SIZE = 20;

function providerSummary(agent: Agent) {
  const entries: [string, string | undefined][] = [
    ["STT", agent.stt_provider],
    ["LLM", agent.llm_provider],
    ["TTS", agent.tts_provider],
  ];
  return (
    <dl className="providers">
      {entries.map(([stage, name]) => (
        <div key={stage}>
          <dt>{stage}</dt>
          <dd className={name ? undefined : "muted"}>{name || "server default"}</dd>
        </div>
      ))}
    </dl>
  );
}

function formatStats(agent: Agent) {
  const { calls_handled: calls, success_rate: rate, avg_latency: latency } = agent.stats;
  return {
    calls: String(calls),
    success: calls > 0 ? `${Math.round(rate * 100)}%` : "—",
    latency: calls > 0 && latency > 0 ? `${Math.round(latency)} ms` : "—",
  };
}

const updatedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const NewAgentButton = () => (
  <Link className="button primary" to="/agents/new">
    New agent
  </Link>
);

/** /agents: every agent with its providers, voice and call statistics, a page at a time. */
export function AgentsPage() {
  const pager = useCursorPager();
  const agents = useQuery({
    queryKey: ["agents", "page", pager.cursor],
    queryFn: () => unwrapPage(api.GET("/api/agents", { params: { query: { limit: AGENTS_PAGE_SIZE, cursor: pager.cursor } } })),
    placeholderData: keepPreviousData,
  });

  let body;
  if (agents.error) body = <ErrorMessage error={agents.error} title="Cannot list the agents" />;
  else if (!agents.data) body = <Loading what="agents" />;
  else if (agents.data.items.length === 0 && !pager.hasPrevious)
    body = (
      <Empty>
        <p>No agents yet.</p>
        <NewAgentButton />
      </Empty>
    );
  else
    body = (
      <>
        <table className="data agents-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Providers</th>
              <th scope="col">Voice</th>
              <th scope="col">Calls</th>
              <th scope="col">Success</th>
              <th scope="col">Avg latency</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {agents.data.items.map((agent) => {
              const stats = formatStats(agent);
              return (
                <tr key={agent.id}>
                  <td>
                    <Link to={`/agents/${agent.id}`}>{agent.name}</Link>
                    {agent.description && <div className="muted agent-description">{agent.description}</div>}
                  </td>
                  <td>
                    <span className={`badge ${agent.status === "active" ? "ok" : ""}`}>{agent.status}</span>
                  </td>
                  <td>{providerSummary(agent)}</td>
                  <td className="nowrap">{agent.voice || <span className="muted">default</span>}</td>
                  <td className="number">{stats.calls}</td>
                  <td className="number">{stats.success}</td>
                  <td className="number">{stats.latency}</td>
                  <td className="nowrap">
                    <time dateTime={agent.updated_at}>{updatedFormat.format(new Date(agent.updated_at))}</time>
                  </td>
                  <td className="row-actions">
                    <Link to={`/agents/${agent.id}`} aria-label={`Edit ${agent.name}`}>
                      Edit
                    </Link>
                    <Link to={`/agents/${agent.id}/flow`} aria-label={`Call flow of ${agent.name}`}>
                      Flow
                    </Link>
                    <Link to={`/agents/${agent.id}/test`} aria-label={`Test call with ${agent.name}`}>
                      Test call
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <Pager
          pageNumber={pager.pageNumber}
          hasPrevious={pager.hasPrevious}
          nextCursor={agents.data.nextCursor}
          onPrevious={pager.previous}
          onNext={pager.next}
        />
      </>
    );

  return (
    <section className="page">
      <PageHeader title="Agents" actions={<NewAgentButton />} />
      {body}
    </section>
  );
}
