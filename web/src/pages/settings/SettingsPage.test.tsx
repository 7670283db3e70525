import { fakeApi, json, noContent, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../components/forms/testing/renderPage";
import type { ApiKey } from "../../api/types";
import { pluginsFixture } from "../agents/testFixtures";
import { SettingsPage } from "./SettingsPage";

const bootstrap: ApiKey = {
  id: "key_boot",
  name: "bootstrap",
  prefix: "vox_4fQ1x9",
  role: "admin",
  created_at: "2026-11-24T07:00:00.000Z",
  last_used_at: "2026-11-24T08:00:00.000Z",
  revoked_at: null,
};

function serve(extra: Parameters<typeof fakeApi>[0] = {}) {
  const keys: ApiKey[] = [bootstrap];
  fakeApi({
    "GET /api/keys": () => json(keys),
    "POST /api/keys": (request) => {
      const { name, role } = request.body as { name: string; role: string };
      const created = { id: "key_ci", name, role, prefix: "vox_secretA", created_at: "2026-11-24T09:00:00.000Z", last_used_at: null, revoked_at: null };
      keys.push(created);
      return json({ ...created, key: "vox_secretABCDEFGHIJKLMNOP" }, 201);
    },
    "GET /api/plugins": () => json(pluginsFixture),
    ...extra,
  });
}

const renderSettings = () => renderPage(<SettingsPage />, { url: "/settings", path: "/settings" });

describe("SettingsPage", () => {
  it("shows a new key once, with a copy button and a warning", async () => {
    serve();
    renderSettings();
    const row = (await screen.findByText("bootstrap")).closest("tr")!;
    expect(within(row).getByText("admin")).toBeInTheDocument();
    expect(within(row).getByText("vox_4fQ1x9…")).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText("Name"), "ci");
    await userEvent.selectOptions(screen.getByLabelText("Role"), "read_only");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));

    const notice = await screen.findByRole("region", { name: "New API key" });
    expect(within(notice).getByTestId("new-key")).toHaveTextContent("vox_secretABCDEFGHIJKLMNOP");
    expect(notice).toHaveTextContent(/shown only this once/);
    expect(within(notice).getByRole("button", { name: "Copy" })).toBeInTheDocument();
    expect(requestsTo("POST", "/api/keys")[0].body).toEqual({ name: "ci", role: "read_only" });
    // The list is read again and has the key, without its secret.
    const ciRow = (await screen.findByRole("cell", { name: "ci" })).closest("tr")!;
    expect(within(ciRow).getByText("read_only")).toHaveClass("badge");
    expect(ciRow).not.toHaveTextContent("vox_secretABCDEFGHIJKLMNOP");

    await userEvent.click(within(notice).getByRole("button", { name: "Done" }));
    expect(screen.queryByText("vox_secretABCDEFGHIJKLMNOP")).not.toBeInTheDocument();
  });

  it("shows 409 last_api_key when revoking the last admin key", async () => {
    serve({ "DELETE /api/keys/key_boot": () => problem(409, "last_api_key", "the last active admin key cannot be revoked") });
    renderSettings();
    await userEvent.click(await screen.findByRole("button", { name: "Revoke" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, revoke" }));
    expect(await screen.findByText(/the last active admin key cannot be revoked/)).toBeInTheDocument();
  });

  it("revokes a key after confirming", async () => {
    serve({ "DELETE /api/keys/key_boot": () => noContent() });
    renderSettings();
    await userEvent.click(await screen.findByRole("button", { name: "Revoke" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, revoke" }));
    await waitFor(() => expect(requestsTo("DELETE", "/api/keys/key_boot")).toHaveLength(1));
  });

  it("lists providers by kind, refused plugins with their reasons and disabled providers", async () => {
    serve();
    renderSettings();
    expect(await screen.findByText("tts.flite")).toBeInTheDocument();
    const tts = screen.getByRole("heading", { name: "Text-to-speech" }).nextElementSibling as HTMLElement;
    expect(within(tts).getByText("tts.espeak")).toBeInTheDocument();
    expect(within(tts).queryByText("stt.pocketsphinx")).not.toBeInTheDocument();
    expect(screen.getByText("/usr/lib/vox/plugins/llm_openai.so")).toBeInTheDocument();
    expect(screen.getByText(/llm\.openai: no API key for https:\/\/api\.openai\.com\/v1/)).toBeInTheDocument();
    expect(screen.getByText("stt.deepgram")).toBeInTheDocument();
    expect(screen.getByText(/Generation/)).toHaveTextContent("Generation 3");
  });

  it("reloads and shows what changed", async () => {
    serve({
      "POST /api/system/reload": () =>
        json({
          generation: 4,
          loaded_at: "2026-11-24T16:20:03.118Z",
          providers: { added: ["stt.deepgram"], removed: [], reinitialised: ["llm.openai"] },
          agent_defaults: { stt_provider: "deepgram", tts_provider: "flite" },
          refused: [],
          restart_needed: [],
          restart_needed_keys: ["http.port"],
        }),
    });
    renderSettings();
    await userEvent.click(await screen.findByRole("button", { name: "Reload configuration" }));
    const result = await screen.findByText(/Reloaded:/);
    const view = result.closest(".reload-result") as HTMLElement;
    expect(view).toHaveTextContent("generation 4");
    expect(view).toHaveTextContent("Added: stt.deepgram");
    expect(view).toHaveTextContent("Reinitialised: llm.openai");
    expect(view).toHaveTextContent("Changed keys that apply only at start-up: http.port");
    expect(view).not.toHaveTextContent("Removed");
    await waitFor(() => expect(requestsTo("GET", "/api/plugins")).toHaveLength(2));
  });

  it("shows the 422 config_invalid message of a refused reload", async () => {
    serve({
      "POST /api/system/reload": () =>
        problem(422, "config_invalid", "provider.tts.flite.sample_rate: expected 8000 or 16000, got 44100"),
    });
    renderSettings();
    await userEvent.click(await screen.findByRole("button", { name: "Reload configuration" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Reload refused: provider.tts.flite.sample_rate: expected 8000 or 16000, got 44100",
    );
  });
});
