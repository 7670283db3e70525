import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { TextPlayground } from "./TextPlayground";

type Message = { role: string; content: string };

function serveAgentTest(answer: (messages: Message[]) => Response) {
  fakeApi({
    "POST /api/test/agent/agent_1": (request) => answer((request.body as { messages: Message[] }).messages),
  });
}

const sent = () => requestsTo("POST", "/api/test/agent/agent_1").map((r) => r.body);

function renderPlayground() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <TextPlayground agentId="agent_1" />
    </QueryClientProvider>,
  );
}

describe("TextPlayground", () => {
  it("asks for the begin message with no messages, then carries the conversation on", async () => {
    serveAgentTest((messages) => {
      const reply = messages.length === 0 ? "Hello, how can I help?" : `You said: ${messages.at(-1)?.content}`;
      return json({
        reply,
        messages: [...messages, { role: "assistant", content: reply }],
        latency_ms: { first_token: messages.length === 0 ? 0 : 120, total: messages.length === 0 ? 1 : 480 },
      });
    });
    const user = userEvent.setup();
    renderPlayground();
    await user.click(screen.getByTestId("playground-begin"));
    expect(await screen.findByText("Hello, how can I help?")).toBeInTheDocument();
    expect(sent()[0]).toEqual({ messages: [] });

    await user.type(screen.getByTestId("playground-input"), "Opening hours?");
    await user.click(screen.getByTestId("playground-send"));
    expect(await screen.findByText("You said: Opening hours?")).toBeInTheDocument();
    expect(sent()[1]).toEqual({
      messages: [
        { role: "assistant", content: "Hello, how can I help?" },
        { role: "user", content: "Opening hours?" },
      ],
    });
    const notes = screen.getAllByTestId("playground-latency").map((n) => n.textContent);
    expect(notes).toEqual(["first token 0 ms · total 1 ms", "first token 120 ms · total 480 ms"]);

    await user.click(screen.getByTestId("playground-reset"));
    expect(screen.queryByTestId("playground-messages")).not.toBeInTheDocument();
    expect(screen.getByTestId("playground-begin")).toBeInTheDocument();
  });

  it("shows the API's message when no LLM is loaded and gives the text back", async () => {
    serveAgentTest(() => problem(503, "provider_unavailable", "the agent's llm provider llm.openai is not loaded"));
    const user = userEvent.setup();
    renderPlayground();
    await user.type(screen.getByTestId("playground-input"), "Hi");
    await user.click(screen.getByTestId("playground-send"));
    expect(await screen.findByTestId("playground-error")).toHaveTextContent("llm.openai is not loaded");
    expect(screen.getByTestId("playground-input")).toHaveValue("Hi");
    expect(screen.queryAllByTestId("playground-message")).toHaveLength(0);
  });
});
