// First: the API client keeps the fetch it finds when it is created.
import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { renderPageInDataRouter } from "../../test/dataRouter";
import { FlowBuilderPage } from "./FlowBuilderPage";
import type { FlowDocument } from "./flowModel";
import { leaveMessage } from "./useUnsavedChangesGuard";

// @xyflow/react measures nodes with ResizeObserver and reads the viewport's zoom with DOMMatrixReadOnly,
// neither of which jsdom has.
beforeAll(() => {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixStub {
    m22 = 1;
  }
  vi.stubGlobal("ResizeObserver", ResizeObserverStub);
  vi.stubGlobal("DOMMatrixReadOnly", DOMMatrixStub);
});

const agentId = "agent_test1";

// What voxd answers (docs/api.md): the agent, its flow, and the flow_node providers with their schemas.
const agent = { id: agentId, name: "Front desk", system_prompt: "", language: "en-US", created_at: "2026-11-24T09:00:00Z" };
const savedFlow: FlowDocument = {
  start_node_id: "greet",
  global_prompt: "",
  variables: { clinic: "Riverside" },
  nodes: [
    { id: "greet", type: "conversation", name: "Greeting", position: { x: 10, y: 20 }, config: { text: "Hello" } },
    { id: "bye", type: "end_call", position: { x: 30, y: 200 }, config: { text: "Goodbye" } },
  ],
  edges: [{ id: "greet_bye", source: "greet", target: "bye", condition: { type: "keyword", intent: "yes" } }],
};
const plugins = {
  generation: 1,
  loaded_at: "2026-11-24T09:00:00Z",
  refused: [],
  providers: [
    { key: "tts.flite", kind: "tts", name: "flite" },
    {
      key: "flow_node.conversation",
      kind: "flow_node",
      name: "conversation",
      settings_schema: {
        type: "object",
        title: "Conversation",
        description: "Says a text, then listens.",
        oneOf: [{ required: ["text"] }, { required: ["prompt"] }],
        properties: {
          text: { type: "string", title: "Text", maxLength: 10000 },
          prompt: { type: "string", title: "Prompt", maxLength: 10000 },
          listen: { type: "boolean", title: "Listen", default: true },
        },
      },
    },
    {
      key: "flow_node.end_call",
      kind: "flow_node",
      name: "end_call",
      settings_schema: { type: "object", title: "End call", description: "Hangs up.", properties: { text: { type: "string", title: "Goodbye", maxLength: 10000 } } },
    },
    {
      key: "flow_node.function",
      kind: "flow_node",
      name: "function",
      settings_schema: {
        type: "object",
        title: "Function",
        description: "Calls an HTTP API.",
        required: ["url", "result_variable"],
        properties: {
          url: { type: "string", title: "URL", format: "uri" },
          method: { enum: ["GET", "POST"], title: "Method", default: "POST" },
          timeout_ms: { type: "integer", title: "Timeout (ms)", default: 5000, minimum: 100, maximum: 30000 },
          result_variable: { type: "string", title: "Result variable", pattern: "^[a-z_]+$" },
        },
      },
    },
  ],
};

let answerPut: (body: FlowDocument) => Response;

function putBodies(): FlowDocument[] {
  return requestsTo("PUT", `/api/agents/${agentId}/flow`).map((request) => request.body as FlowDocument);
}

beforeEach(() => {
  answerPut = (body) => json(body);
  fakeApi({
    [`GET /api/agents/${agentId}`]: () => json(agent),
    [`GET /api/agents/${agentId}/flow`]: () => json(savedFlow),
    "GET /api/plugins": () => json(plugins),
    [`PUT /api/agents/${agentId}/flow`]: (request) => answerPut(request.body as FlowDocument),
  });
});

// The page uses the router's blocker, so it needs a data router. The agent's page comes before it in the history:
// that is where Back goes.
function renderFlowPage() {
  return renderPageInDataRouter(<FlowBuilderPage />, { url: `/agents/${agentId}/flow`, path: "/agents/:agentId/flow", before: [`/agents/${agentId}`] });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("FlowBuilderPage", () => {
  it("shows the agent, its nodes with the start marked, and the palette of loaded node types", async () => {
    renderFlowPage();
    expect(await screen.findByRole("heading", { name: "Call flow: Front desk" })).toBeInTheDocument();
    const greet = await screen.findByTestId("flow-node-greet");
    expect(within(greet).getByText("Start")).toBeInTheDocument();
    expect(within(greet).getByText("Greeting")).toBeInTheDocument();
    expect(within(screen.getByTestId("flow-node-bye")).queryByText("Start")).toBeNull();
    const palette = screen.getByTestId("flow-palette");
    expect(within(palette).getByTestId("palette-item-function")).toHaveTextContent("Calls an HTTP API.");
    expect(within(palette).queryByText(/flite/)).toBeNull();
  });

  it("saves the flow with its nodes' positions, conditions and settings", async () => {
    const user = userEvent.setup();
    renderFlowPage();
    await screen.findByTestId("flow-node-greet");
    await user.type(screen.getByLabelText("Global prompt"), "Be brief.");
    expect(screen.getByTestId("flow-status")).toHaveTextContent("Unsaved changes");
    await user.click(screen.getByTestId("flow-save"));
    await waitFor(() => expect(screen.getByTestId("flow-status")).toHaveTextContent("Saved"));
    expect(putBodies()).toEqual([
      {
        start_node_id: "greet",
        global_prompt: "Be brief.",
        variables: { clinic: "Riverside" },
        nodes: [
          { id: "greet", type: "conversation", name: "Greeting", position: { x: 10, y: 20 }, config: { text: "Hello" } },
          { id: "bye", type: "end_call", position: { x: 30, y: 200 }, config: { text: "Goodbye" } },
        ],
        edges: [{ id: "greet_bye", source: "greet", target: "bye", condition: { type: "keyword", intent: "yes" } }],
      },
    ]);
  });

  it("adds a node of a type with its schema's defaults from the palette's Add button", async () => {
    const user = userEvent.setup();
    renderFlowPage();
    await screen.findByTestId("flow-node-greet");
    await user.click(screen.getByRole("button", { name: "Add Function node" }));
    expect(await screen.findByTestId("flow-node-function_1")).toBeInTheDocument();
    const panel = screen.getByTestId("flow-side-panel");
    expect(within(panel).getByLabelText("Node id")).toHaveValue("function_1");
    expect(within(panel).getByLabelText(/^Timeout/)).toHaveValue(5000);
    expect(within(panel).getByLabelText(/^Method/)).toHaveDisplayValue("POST");
    await user.type(within(panel).getByLabelText(/^URL/), "https://example.com/api");

    await user.click(screen.getByTestId("flow-save"));
    await waitFor(() => expect(putBodies()).toHaveLength(1));
    const added = putBodies()[0].nodes.find((node) => node.id === "function_1");
    expect(added).toMatchObject({ type: "function", config: { method: "POST", timeout_ms: 5000, url: "https://example.com/api" } });
    expect(added?.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  it("marks the nodes a 422 names and lists the flow-level errors", async () => {
    const user = userEvent.setup();
    answerPut = () =>
      problem(422, "validation_failed", "the flow is not valid", [
        { field: "/nodes/1/config/text", message: "node 'bye' (end_call): text must not be empty" },
        { field: "/edges/0/condition/intent", message: "edge greet -> bye: unknown intent" },
        { field: "/start_node_id", message: "start_node_id names no node" },
      ]);
    renderFlowPage();
    await screen.findByTestId("flow-node-greet");
    await user.click(screen.getByTestId("flow-save"));
    const bye = await screen.findByTestId("flow-node-bye");
    await waitFor(() => expect(bye).toHaveClass("invalid"));
    expect(bye).toHaveTextContent("text must not be empty");
    expect(screen.getByTestId("flow-node-greet")).not.toHaveClass("invalid");
    const summary = screen.getByTestId("flow-save-errors");
    expect(summary).toHaveTextContent("the flow is not valid");
    expect(summary).toHaveTextContent("/start_node_id: start_node_id names no node");
    expect(summary).toHaveTextContent("1 node and 1 edge marked in red");
    expect(screen.getByTestId("flow-status")).not.toHaveTextContent("Saved");
  });

  describe("with unsaved changes", () => {
    async function openWithAChange() {
      const user = userEvent.setup();
      const page = renderFlowPage();
      await screen.findByTestId("flow-node-greet");
      await user.type(screen.getByLabelText("Global prompt"), "Be brief.");
      expect(screen.getByTestId("flow-status")).toHaveTextContent("Unsaved changes");
      return { ...page, user };
    }

    it("asks before the browser's Back button leaves, and stays with the changes when refused", async () => {
      const { router } = await openWithAChange();
      const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
      await act(() => router.navigate(-1));
      await waitFor(() => expect(confirm).toHaveBeenCalledWith(leaveMessage));
      expect(confirm).toHaveBeenCalledTimes(1);
      expect(router.state.location.pathname).toBe(`/agents/${agentId}/flow`);
      expect(screen.getByTestId("location")).toHaveTextContent(`/agents/${agentId}/flow`);
      expect(screen.getByLabelText("Global prompt")).toHaveValue("Be brief.");
      expect(screen.getByTestId("flow-status")).toHaveTextContent("Unsaved changes");
      // Refused, the blocker is reset: asking again works.
      await act(() => router.navigate(-1));
      await waitFor(() => expect(confirm).toHaveBeenCalledTimes(2));
      expect(router.state.location.pathname).toBe(`/agents/${agentId}/flow`);
    });

    it("leaves on Back when the user confirms", async () => {
      const { router } = await openWithAChange();
      const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
      await act(() => router.navigate(-1));
      await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(new RegExp(`^/agents/${agentId}$`)));
      expect(confirm).toHaveBeenCalledExactlyOnceWith(leaveMessage);
      expect(screen.queryByLabelText("Global prompt")).toBeNull();
      // Forward again: the flow page is back, from the server, and nothing asks (no changes now).
      await act(() => router.navigate(1));
      await screen.findByTestId("flow-node-greet");
      expect(router.state.location.pathname).toBe(`/agents/${agentId}/flow`);
      expect(confirm).toHaveBeenCalledTimes(1);
    });

    it("asks before a link inside the dashboard leaves", async () => {
      const { router, user } = await openWithAChange();
      const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
      await user.click(screen.getByRole("link", { name: "Agent settings" }));
      await waitFor(() => expect(confirm).toHaveBeenCalledWith(leaveMessage));
      expect(router.state.location.pathname).toBe(`/agents/${agentId}/flow`);
      confirm.mockReturnValue(true);
      await user.click(screen.getByRole("link", { name: "Agent settings" }));
      await waitFor(() => expect(router.state.location.pathname).toBe(`/agents/${agentId}`));
      expect(confirm).toHaveBeenCalledTimes(2);
    });

    it("keeps the browser's own prompt for closing or reloading the tab", async () => {
      await openWithAChange();
      const event = new Event("beforeunload", { cancelable: true });
      window.dispatchEvent(event);
      expect(event.defaultPrevented).toBe(true);
    });

    it("does not ask once the changes are saved", async () => {
      const { router, user } = await openWithAChange();
      const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
      await user.click(screen.getByTestId("flow-save"));
      await waitFor(() => expect(screen.getByTestId("flow-status")).toHaveTextContent("Saved"));
      await act(() => router.navigate(-1));
      await waitFor(() => expect(router.state.location.pathname).toBe(`/agents/${agentId}`));
      expect(confirm).not.toHaveBeenCalled();
    });
  });

  it("without changes, Back leaves at once and nothing asks", async () => {
    const { router } = renderFlowPage();
    await screen.findByTestId("flow-node-greet");
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    await act(() => router.navigate(-1));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(new RegExp(`^/agents/${agentId}$`)));
    expect(confirm).not.toHaveBeenCalled();
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
  });
});
