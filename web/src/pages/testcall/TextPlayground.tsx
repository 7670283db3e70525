import { type FormEvent, useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { AgentTestReply } from "../../api/types";
import { ErrorMessage } from "../../components/Status";

type Message = AgentTestReply["messages"][number];

interface ShownMessage extends Message {
  latency?: AgentTestReply["latency_ms"];
}

/** Chat with the agent's LLM, no audio (POST /api/test/agent/{agent_id}). */
export function TextPlayground({ agentId }: { agentId: string | null }) {
  const [shown, setShown] = useState<ShownMessage[]>([]);
  const [draft, setDraft] = useState("");

  const turn = useMutation({
    mutationFn: async (messages: Message[]) =>
      unwrap(
        api.POST("/api/test/agent/{agent_id}", { params: { path: { agent_id: agentId ?? "" } }, body: { messages } }),
      ),
    onSuccess: (reply) => {
      const conversation: ShownMessage[] = reply.messages.map((m) => ({ role: m.role, content: m.content }));
      const last = conversation[conversation.length - 1];
      if (last && last.role === "assistant") last.latency = reply.latency_ms;
      // Keep the latencies of earlier replies (the API answers the plain conversation).
      setShown((before) =>
        conversation.map((m, i) => (before[i]?.latency && !m.latency ? { ...m, latency: before[i].latency } : m)),
      );
    },
    // The message did not get an answer: take it back into the input, so the conversation stays consistent.
    onError: (_error, messages) => {
      const last = messages[messages.length - 1];
      if (last?.role !== "user") return;
      setShown(messages.slice(0, -1));
      setDraft(last.content);
    },
  });

  // A different agent is a different conversation.
  const { reset: resetMutation } = turn;
  useEffect(() => {
    setShown([]);
    setDraft("");
    resetMutation();
  }, [agentId, resetMutation]);

  const history = (): Message[] => shown.map(({ role, content }) => ({ role, content }));

  function send(event: FormEvent) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !agentId) return;
    const messages = [...history(), { role: "user" as const, content: text }];
    setShown((before) => [...before, { role: "user", content: text }]);
    setDraft("");
    turn.mutate(messages);
  }

  function reset() {
    setShown([]);
    setDraft("");
    turn.reset();
  }

  return (
    <section className="card tc-playground" aria-labelledby="tc-playground-title">
      <div className="tc-call-head">
        <h2 id="tc-playground-title">Text playground</h2>
        <button
          type="button"
          data-testid="playground-reset"
          onClick={reset}
          disabled={shown.length === 0 && !turn.error}
        >
          Reset
        </button>
      </div>
      <p className="hint">One LLM turn per message, with the agent's prompt and model; no audio, no call flow.</p>

      {shown.length === 0 && !turn.isPending ? (
        <div className="tc-empty-chat">
          <p className="muted">No messages yet.</p>
          <button
            type="button"
            data-testid="playground-begin"
            disabled={!agentId}
            onClick={() => turn.mutate([])}
          >
            Get the begin message
          </button>
        </div>
      ) : (
        <ol className="tc-chat" data-testid="playground-messages" aria-live="polite">
          {shown.map((message, i) => (
            <li
              key={i}
              className={`tc-bubble tc-${message.role}`}
              data-testid="playground-message"
              data-role={message.role}
            >
              <span className="tc-text">{message.content || <em className="muted">(empty)</em>}</span>
              {message.latency && (
                <span className="tc-latency-note" data-testid="playground-latency">
                  first token {message.latency.first_token} ms · total {message.latency.total} ms
                </span>
              )}
            </li>
          ))}
          {turn.isPending && (
            <li className="tc-bubble tc-assistant muted" role="status">
              The agent is answering…
            </li>
          )}
        </ol>
      )}

      {turn.error && (
        <div data-testid="playground-error">
          <ErrorMessage error={turn.error} title="The agent could not answer" />
        </div>
      )}

      <form className="tc-send" onSubmit={send}>
        <label htmlFor="tc-playground-input" className="tc-visually-hidden">
          Your message
        </label>
        <input
          id="tc-playground-input"
          data-testid="playground-input"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="Type a message to the agent"
          disabled={!agentId}
          autoComplete="off"
        />
        <button
          type="submit"
          className="primary"
          data-testid="playground-send"
          disabled={!agentId || !draft.trim() || turn.isPending}
        >
          Send
        </button>
      </form>
    </section>
  );
}
