import { fakeApi, json, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../components/forms/testing/renderPage";
import { AgentsPage, AGENTS_PAGE_SIZE } from "./AgentsPage";
import { agentFixture } from "./testFixtures";

const firstPage = [
  agentFixture(),
  agentFixture({ id: "agent_sales", name: "Sales", status: "inactive", tts_provider: undefined, voice: "rms",
    stt_provider: "pocketsphinx", stats: { calls_handled: 0, avg_latency: 0, success_rate: 0 } }),
];
const secondPage = [agentFixture({ id: "agent_old", name: "Old agent" })];

function serveTwoPages() {
  fakeApi({
    "GET /api/agents": (request) =>
      request.query.get("cursor") === "c2"
        ? json(secondPage)
        : json(firstPage, 200, { "X-Next-Cursor": "c2" }),
  });
}

describe("AgentsPage", () => {
  it("lists agents with providers, voice, stats and row actions", async () => {
    serveTwoPages();
    renderPage(<AgentsPage />, { url: "/agents", path: "/agents" });
    const front = (await screen.findByRole("link", { name: "Front desk" })).closest("tr")!;
    expect(within(front).getByText("active")).toHaveClass("badge", "ok");
    expect(within(front).getByText("flite")).toBeInTheDocument();
    expect(within(front).getAllByText("server default")).toHaveLength(2);
    expect(within(front).getByText("83%")).toBeInTheDocument();
    expect(within(front).getByText("520 ms")).toBeInTheDocument();
    expect(within(front).getByText("12")).toBeInTheDocument();
    expect(within(front).getByRole("link", { name: "Call flow of Front desk" })).toHaveAttribute("href", "/agents/agent_front/flow");
    expect(within(front).getByRole("link", { name: "Test call with Front desk" })).toHaveAttribute("href", "/agents/agent_front/test");

    const sales = screen.getByRole("link", { name: "Sales" }).closest("tr")!;
    expect(within(sales).getByText("inactive")).not.toHaveClass("ok");
    expect(within(sales).getByText("pocketsphinx")).toBeInTheDocument();
    expect(within(sales).getAllByText("—")).toHaveLength(2);
    expect(requestsTo("GET", "/api/agents")[0].query.get("limit")).toBe(String(AGENTS_PAGE_SIZE));
  });

  it("pages forward with the API's cursor and back again", async () => {
    serveTwoPages();
    renderPage(<AgentsPage />, { url: "/agents", path: "/agents" });
    await screen.findByRole("link", { name: "Front desk" });
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("link", { name: "Old agent" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Front desk" })).not.toBeInTheDocument();
    expect(requestsTo("GET", "/api/agents")[1].query.get("cursor")).toBe("c2");
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(await screen.findByRole("link", { name: "Front desk" })).toBeInTheDocument();
  });

  it("shows the empty state with a create button", async () => {
    fakeApi({ "GET /api/agents": () => json([]) });
    renderPage(<AgentsPage />, { url: "/agents", path: "/agents" });
    expect(await screen.findByText("No agents yet.")).toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "New agent" }).map((link) => link.getAttribute("href"))).toContain("/agents/new");
  });

  it("shows the API's message when the list fails", async () => {
    fakeApi({ "GET /api/agents": () => problem(500, "internal_error", "database is locked") });
    renderPage(<AgentsPage />, { url: "/agents", path: "/agents" });
    expect(await screen.findByRole("alert")).toHaveTextContent("database is locked");
  });
});
