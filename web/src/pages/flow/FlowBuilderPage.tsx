import { useParams } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { api, unwrap } from "../../api/client";
import { usePlugins } from "../../api/hooks";
import { ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { FlowEditor } from "./FlowEditor";
import { toBuilderState, type FlowDocument } from "./flowModel";
import { nodeTypesFrom } from "./nodeTypes";
import "./FlowBuilderPage.css";

/** /agents/:agentId/flow: the visual editor of an agent's call flow. */
export function FlowBuilderPage() {
  const { agentId = "" } = useParams();
  const queryClient = useQueryClient();
  const agent = useQuery({
    queryKey: ["agents", agentId],
    queryFn: () => unwrap(api.GET("/api/agents/{agent_id}", { params: { path: { agent_id: agentId } } })),
  });
  const flow = useQuery({
    queryKey: ["agents", agentId, "flow"],
    queryFn: async () => (await unwrap(api.GET("/api/agents/{agent_id}/flow", { params: { path: { agent_id: agentId } } }))) as unknown as FlowDocument,
    // The editor owns the flow once loaded: refetching under it would not change what it shows.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const plugins = usePlugins();

  const failure = agent.error ?? flow.error ?? plugins.error;
  if (failure) {
    return (
      <section className="page">
        <PageHeader title="Call flow" />
        <ErrorMessage error={failure} title="Cannot open the flow" />
      </section>
    );
  }
  if (!agent.data || !flow.data || !plugins.data) {
    return (
      <section className="page">
        <PageHeader title="Call flow" />
        <Loading what="the flow" />
      </section>
    );
  }
  return (
    <section className="page flow-page">
      <ReactFlowProvider>
        <FlowEditor
          key={agentId}
          agentId={agentId}
          title={`Call flow: ${agent.data.name}`}
          initial={toBuilderState(flow.data)}
          nodeTypes={nodeTypesFrom(plugins.data)}
          onSaved={(saved) => queryClient.setQueryData(["agents", agentId, "flow"], saved)}
        />
      </ReactFlowProvider>
    </section>
  );
}
