import { fakeApi, json, noContent, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../components/forms/testing/renderPage";
import type { PhoneNumber } from "../../api/types";
import { agentFixture } from "../agents/testFixtures";
import { PhoneNumbersPage } from "./PhoneNumbersPage";

const agents = [agentFixture(), agentFixture({ id: "agent_sales", name: "Sales" })];

function numberFixture(overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  return {
    id: "pn_main",
    number: "+14155550100",
    nickname: "Main line",
    assigned_agent_id: null,
    status: "unassigned",
    calls_received: 3,
    created_at: "2026-11-24T07:10:00.000Z",
    updated_at: "2026-11-24T07:10:00.000Z",
    ...overrides,
  };
}

function serve(numbers: PhoneNumber[], extra: Parameters<typeof fakeApi>[0] = {}) {
  fakeApi({
    "GET /api/agents": () => json(agents),
    "GET /api/phone-numbers": () => json(numbers),
    ...extra,
  });
}

const renderNumbers = () => renderPage(<PhoneNumbersPage />, { url: "/phone-numbers", path: "/phone-numbers" });

describe("PhoneNumbersPage", () => {
  it("assigns an agent inline with a PUT of assigned_agent_id", async () => {
    serve([numberFixture()], {
      "PUT /api/phone-numbers/pn_main": (request) =>
        json(numberFixture({ ...(request.body as object), status: "active" })),
    });
    renderNumbers();
    const select = await screen.findByRole("combobox", { name: "Agent for +14155550100 (Main line)" });
    await waitFor(() => expect(within(select).getByRole("option", { name: "Sales" })).toBeInTheDocument());
    expect(screen.getByText("unassigned")).toHaveClass("badge");
    await userEvent.selectOptions(select, "agent_sales");
    await waitFor(() => expect(requestsTo("PUT", "/api/phone-numbers/pn_main")).toHaveLength(1));
    expect(requestsTo("PUT", "/api/phone-numbers/pn_main")[0].body).toEqual({ assigned_agent_id: "agent_sales" });
  });

  it("unassigns with null and switches an assigned number's status", async () => {
    serve([numberFixture({ assigned_agent_id: "agent_front", status: "active" })], {
      "PUT /api/phone-numbers/pn_main": (request) => json(numberFixture(request.body as Partial<PhoneNumber>)),
    });
    renderNumbers();
    const status = await screen.findByRole("combobox", { name: /Status of \+14155550100/ });
    await userEvent.selectOptions(status, "inactive");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: /Agent for/ }), "");
    await waitFor(() => expect(requestsTo("PUT", "/api/phone-numbers/pn_main")).toHaveLength(2));
    expect(requestsTo("PUT", "/api/phone-numbers/pn_main").map((r) => r.body)).toEqual([
      { status: "inactive" },
      { assigned_agent_id: null },
    ]);
  });

  it("adds a number and shows the server's 409 duplicate_phone_number", async () => {
    serve([], {
      "POST /api/phone-numbers": () => problem(409, "duplicate_phone_number", "+14155550100 is already registered"),
    });
    renderNumbers();
    expect(await screen.findByText(/No phone numbers yet/)).toBeInTheDocument();
    const number = screen.getByLabelText("Number");
    await userEvent.type(number, "4155550100");
    expect(number).toHaveAccessibleDescription(/does not look like E\.164/);
    await userEvent.clear(number);
    await userEvent.type(number, "+14155550100");
    expect(number).toHaveAccessibleDescription("E.164, e.g. +14155550100.");
    await userEvent.selectOptions(screen.getByLabelText("Agent"), "agent_front");
    await userEvent.type(screen.getByLabelText("Nickname"), "Main");
    await userEvent.click(screen.getByRole("button", { name: "Add number" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("+14155550100 is already registered");
    expect(requestsTo("POST", "/api/phone-numbers")[0].body).toEqual({
      number: "+14155550100",
      assigned_agent_id: "agent_front",
      nickname: "Main",
    });
  });

  it("deletes after confirming", async () => {
    serve([numberFixture()], { "DELETE /api/phone-numbers/pn_main": () => noContent() });
    renderNumbers();
    await userEvent.click(await screen.findByRole("button", { name: "Delete" }));
    expect(requestsTo("DELETE", "/api/phone-numbers/pn_main")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(requestsTo("DELETE", "/api/phone-numbers/pn_main")).toHaveLength(1));
  });
});
