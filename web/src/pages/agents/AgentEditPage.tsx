import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { usePlugins } from "../../api/hooks";
import type { Agent } from "../../api/types";
import { indexFieldErrors } from "../../components/forms/fieldErrors";
import { ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { AgentForm } from "./AgentForm";
import { agentFieldPointers, agentToForm, buildAgentBody, newAgentForm, type AgentFormState } from "./agentForm";
import { DeleteAgentSection } from "./DeleteAgentSection";
import { useAgentSettingSpecs } from "./settingsSchema";
import "./agents.css";

/** /agents/new and /agents/:agentId: create or edit an agent. */
export function AgentEditPage() {
  const { agentId } = useParams();
  const isNew = agentId === undefined;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const specs = useAgentSettingSpecs();
  const plugins = usePlugins();
  const agent = useQuery({
    queryKey: ["agents", "one", agentId],
    queryFn: () => unwrap(api.GET("/api/agents/{agent_id}", { params: { path: { agent_id: agentId ?? "" } } })),
    enabled: !isNew,
  });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: async (form: AgentFormState): Promise<Agent> => {
      const built = buildAgentBody(form, specs.data ?? [], isNew);
      if (!built.ok) throw new ClientValidation(built.errors);
      if (isNew) return unwrap(api.POST("/api/agents", { body: built.body }));
      return unwrap(api.PUT("/api/agents/{agent_id}", { params: { path: { agent_id: agentId } }, body: built.body }));
    },
    onMutate: () => setClientErrors({}),
    onSuccess: async (saved) => {
      queryClient.setQueryData(["agents", "one", saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ["agents"], exact: false });
      if (isNew) navigate(`/agents/${saved.id}`);
    },
    onError: (error) => {
      if (error instanceof ClientValidation) setClientErrors(error.errors);
    },
  });

  const title = isNew ? "New agent" : (agent.data?.name ?? "Agent");
  const header = (
    <PageHeader
      title={title}
      actions={
        !isNew && (
          <>
            <Link className="button" to={`/agents/${agentId}/flow`}>
              Call flow
            </Link>
            <Link className="button" to={`/agents/${agentId}/test`}>
              Test call
            </Link>
          </>
        )
      }
    />
  );

  const loadError = specs.error ?? agent.error;
  if (loadError) {
    return (
      <section className="page">
        {header}
        <ErrorMessage error={loadError} title={specs.error ? "Cannot read the settings' ranges" : "Cannot load the agent"} />
      </section>
    );
  }
  if (!specs.data || (!isNew && !agent.data)) {
    return (
      <section className="page">
        {header}
        <Loading what={isNew ? "the form" : "the agent"} />
      </section>
    );
  }

  const saved = agent.data;
  const serverError = save.error instanceof ClientValidation ? null : save.error;
  return (
    <section className="page agent-edit">
      {header}
      <p className="muted">
        <Link to="/agents">← All agents</Link>
        {save.isSuccess && !isNew && <span className="saved-note" role="status"> Saved.</span>}
      </p>
      {plugins.error && <ErrorMessage error={plugins.error} title="Cannot list the providers" />}
      <AgentForm
        key={saved ? `${saved.id}` : "new"}
        agentId={saved?.id}
        initial={saved ? agentToForm(saved, specs.data) : newAgentForm(specs.data)}
        specs={specs.data}
        registry={plugins.data}
        savedProviders={{
          stt_provider: saved?.stt_provider,
          llm_provider: saved?.llm_provider,
          tts_provider: saved?.tts_provider,
        }}
        clientErrors={clientErrors}
        serverErrors={indexFieldErrors(serverError, agentFieldPointers(specs.data))}
        saveError={serverError}
        saving={save.isPending}
        onSubmit={(form) => save.mutate(form)}
      />
      {saved && <DeleteAgentSection agentId={saved.id} agentName={saved.name} />}
    </section>
  );
}

/** Problems found before sending; they are shown beside their fields, not as a failed request. */
class ClientValidation extends Error {
  readonly errors: Record<string, string>;
  constructor(errors: Record<string, string>) {
    super("some fields need fixing");
    this.errors = errors;
  }
}
