import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { Link } from "react-router-dom";
import type { AgentAnalytics } from "./analyticsApi";
import { ChartBox } from "./ChartBox";
import { milliseconds, percent } from "./analyticsWindow";

const nameOf = (agent: AgentAnalytics) => agent.agent_name ?? `${agent.agent_id} (deleted)`;

/** Each agent's calls, success rate and latency: a bar chart of calls and the figures in a table. */
export function AgentBreakdown({ agents }: { agents: AgentAnalytics[] }) {
  const data = agents.map((agent) => ({ agent: nameOf(agent), completed: agent.completed, failed: agent.failed }));
  return (
    <div className="agent-breakdown">
      <ChartBox label="Calls per agent" height={Math.max(140, 40 * agents.length + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="agent" width={180} />
          <Tooltip />
          <Bar dataKey="completed" stackId="calls" fill="#137333" maxBarSize={28} isAnimationActive={false} />
          <Bar dataKey="failed" stackId="calls" fill="#b42318" maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ChartBox>
      <table className="data" data-testid="agent-analytics">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Calls</th>
            <th scope="col">Success rate</th>
            <th scope="col">Avg latency</th>
            <th scope="col">p95 latency</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.agent_id} data-testid="agent-analytics-row" data-agent-id={agent.agent_id}>
              <th scope="row">
                {agent.agent_name ? (
                  <Link to={`/agents/${encodeURIComponent(agent.agent_id)}`}>{agent.agent_name}</Link>
                ) : (
                  nameOf(agent)
                )}
              </th>
              <td>{agent.calls}</td>
              <td>{percent(agent.success_rate)}</td>
              <td>{milliseconds(agent.latency_ms.avg)}</td>
              <td>{milliseconds(agent.latency_ms.p95)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
