import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { api, ApiError, unwrap } from "../../api/client";
import { ConfirmButton } from "../../components/forms/ConfirmButton";
import { ErrorMessage } from "../../components/Status";

/** Deletes the agent after asking; when it still answers phone numbers, offers to unassign them in the same step. */
export function DeleteAgentSection({ agentId, agentName }: { agentId: string; agentName: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (unassignNumbers: boolean) =>
      unwrap(
        api.DELETE("/api/agents/{agent_id}", {
          params: { path: { agent_id: agentId }, query: unassignNumbers ? { unassign_numbers: true } : {} },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["agents"] });
      await queryClient.invalidateQueries({ queryKey: ["phone-numbers"] });
      navigate("/agents");
    },
  });
  const hasNumbers = remove.error instanceof ApiError && remove.error.code === "agent_has_phone_numbers";

  return (
    <section className="card danger-zone" aria-labelledby="delete-agent-title">
      <h2 id="delete-agent-title">Delete agent</h2>
      <p className="muted">Deletes the agent and its call flow. Its call records stay.</p>
      {hasNumbers ? (
        <div className="error" role="alert">
          {remove.error?.message}
          <div className="danger-actions">
            <ConfirmButton
              question={`Unassign its numbers and delete "${agentName}"?`}
              confirmLabel="Yes, delete and unassign"
              onConfirm={() => remove.mutate(true)}
              busy={remove.isPending}
            >
              Delete and unassign numbers
            </ConfirmButton>
          </div>
        </div>
      ) : (
        <>
          <ErrorMessage error={remove.error} />
          <ConfirmButton
            question={`Delete "${agentName}"?`}
            confirmLabel="Yes, delete"
            onConfirm={() => remove.mutate(false)}
            busy={remove.isPending}
          >
            Delete agent
          </ConfirmButton>
        </>
      )}
    </section>
  );
}
