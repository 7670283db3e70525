import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useAllAgents } from "../../api/hooks";
import { Empty, ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { CallPanel } from "./CallPanel";
import { TextPlayground } from "./TextPlayground";
import "./testcall.css";

/** Test an agent: a voice call from the browser, and a text playground beside it. */
export function TestCallPage() {
  const { agentId: routeAgentId } = useParams<{ agentId: string }>();
  const navigate = useNavigate();
  const agents = useAllAgents();
  const [agentId, setAgentId] = useState<string | null>(routeAgentId ?? null);

  useEffect(() => {
    if (routeAgentId) setAgentId(routeAgentId);
  }, [routeAgentId]);

  // With no agent in the route, preselect the first one.
  useEffect(() => {
    if (!agentId && agents.data && agents.data.length > 0) setAgentId(agents.data[0].id);
  }, [agentId, agents.data]);

  const agent = agents.data?.find((a) => a.id === agentId) ?? null;

  function pick(id: string) {
    setAgentId(id);
    if (routeAgentId) navigate(`/agents/${id}/test`, { replace: true });
  }

  return (
    <div className="tc-page">
      <PageHeader title="Test call" />
      {agents.isPending && <Loading what="agents" />}
      {agents.error && <ErrorMessage error={agents.error} title="Could not load the agents" />}
      {agents.data && agents.data.length === 0 && (
        <Empty>
          No agent yet. <Link to="/agents/new">Create one</Link> to test it here.
        </Empty>
      )}
      {agents.data && agents.data.length > 0 && (
        <>
          <div className="tc-picker">
            <label htmlFor="tc-agent">Agent</label>
            <select
              id="tc-agent"
              data-testid="agent-select"
              value={agentId ?? ""}
              onChange={(event) => pick(event.target.value)}
            >
              {routeAgentId && !agent && <option value={routeAgentId}>Unknown agent {routeAgentId}</option>}
              {agents.data.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.status === "inactive" ? " (inactive)" : ""}
                </option>
              ))}
            </select>
            {routeAgentId && !agent && (
              <p className="error" role="alert">
                No agent has the id <code>{routeAgentId}</code>.
              </p>
            )}
            {agent?.description && <p className="hint">{agent.description}</p>}
          </div>
          <div className="tc-columns">
            {/* A new agent is a new call panel: never carry a call's state over to another agent. */}
            <CallPanel
              key={`call-${agentId}`}
              agentId={agent ? agent.id : null}
              agentActive={agent?.status === "active"}
            />
            <TextPlayground agentId={agent ? agent.id : null} />
          </div>
        </>
      )}
    </div>
  );
}
