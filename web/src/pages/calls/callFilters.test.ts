import { filtersFromQuery, filtersProblem, filtersToApiQuery, filtersToQuery } from "./callFilters";

describe("call filters in the URL", () => {
  it("reads known values and drops what the API would refuse (a hand-edited link)", () => {
    const filters = filtersFromQuery(
      new URLSearchParams("agent_id=agent_1&status=bogus&direction=web&from=2026-11-01&to=yesterday"),
    );
    expect(filters).toEqual({ agentId: "agent_1", status: "", direction: "web", from: "2026-11-01", to: "" });
    expect(filtersToQuery(filters).toString()).toBe("agent_id=agent_1&direction=web&from=2026-11-01");
  });

  it("turns days into an ISO window that includes the last day", () => {
    const query = filtersToApiQuery({ agentId: "", status: "failed", direction: "", from: "2026-11-30", to: "2026-11-30" });
    expect(query).toEqual({
      status: "failed",
      started_after: new Date(2026, 10, 30).toISOString(),
      started_before: new Date(2026, 11, 1).toISOString(),
    });
  });

  it("names an end before the start", () => {
    expect(filtersProblem({ agentId: "", status: "", direction: "", from: "2026-11-02", to: "2026-11-01" })).toMatch(
      /before the start/,
    );
    expect(filtersProblem({ agentId: "", status: "", direction: "", from: "2026-11-02", to: "2026-11-02" })).toBeNull();
  });
});
