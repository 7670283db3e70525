import { fakeApi, json, noContent, problem, requestsTo } from "../../components/forms/testing/fakeApi";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderPage } from "../../components/forms/testing/renderPage";
import { AgentEditPage } from "./AgentEditPage";
import { agentFixture, openApiFixture, pluginsFixture } from "./testFixtures";

const agent = agentFixture();

function serve(extra: Parameters<typeof fakeApi>[0] = {}) {
  fakeApi({
    "GET /openapi.json": () => json(openApiFixture),
    "GET /api/plugins": () => json(pluginsFixture),
    "GET /api/agents/agent_front": () => json(agent),
    ...extra,
  });
}

const renderEdit = () => renderPage(<AgentEditPage />, { url: "/agents/agent_front", path: "/agents/:agentId" });
const renderNew = () => renderPage(<AgentEditPage />, { url: "/agents/new", path: "/agents/new" });

describe("AgentEditPage", () => {
  it("shows each setting with the unit and range of the OpenAPI document", async () => {
    serve();
    renderEdit();
    const temperature = await screen.findByLabelText("Temperature");
    expect(temperature).toHaveAttribute("min", "0");
    expect(temperature).toHaveAttribute("max", "1.5");
    expect(temperature).toHaveAccessibleDescription(/Range 0–1\.5\./);
    const endpointing = screen.getByLabelText("Endpointing (ms)");
    expect(endpointing).toHaveAttribute("min", "120");
    expect(endpointing).toHaveAttribute("max", "4000");
    expect(endpointing).toHaveAttribute("step", "1");
    expect(endpointing).toHaveAccessibleDescription(/Range 120–4000 ms\./);
    expect(screen.getByLabelText("TTS speed (×)")).toHaveAccessibleDescription(/Range 0\.5–2 ×/);
    expect(screen.getByLabelText("End call after silence (s)")).toHaveValue(30);
    expect(screen.getByLabelText("Max tokens (tokens)")).toHaveAttribute("min", "1");
    expect(screen.getByLabelText("Speak first")).toBeChecked();
    // A setting the document does not describe is not shown, whatever the agent holds.
    expect(screen.queryByLabelText(/Min interruption/)).not.toBeInTheDocument();
  });

  it("sends the edited agent as the PUT body", async () => {
    serve({ "PUT /api/agents/agent_front": (request) => json({ ...agent, ...(request.body as object) }) });
    renderEdit();
    const name = await screen.findByLabelText("Name");
    await userEvent.clear(name);
    await userEvent.type(name, "Reception");
    await userEvent.selectOptions(screen.getByLabelText("Voice"), "rms");
    const temperature = screen.getByLabelText("Temperature");
    await userEvent.clear(temperature);
    await userEvent.type(temperature, "0.4");
    await userEvent.click(screen.getByLabelText("Speak first"));
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(requestsTo("PUT", "/api/agents/agent_front")).toHaveLength(1));
    expect(requestsTo("PUT", "/api/agents/agent_front")[0].body).toEqual({
      name: "Reception",
      description: "",
      system_prompt: "You are a receptionist.",
      begin_message: "Hello!",
      status: "active",
      language: "en-US",
      stt_provider: null,
      llm_provider: null,
      tts_provider: "flite",
      voice: "rms",
      model: null,
      settings: {
        temperature: 0.4,
        max_tokens: 256,
        tts_speed: 1,
        endpointing_ms: 300,
        end_call_after_silence_s: 30,
        speak_first: false,
      },
      tools: [],
      fallbacks: {},
    });
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
  });

  it("shows the 422's field errors beside their fields and the others at the top", async () => {
    serve({
      "PUT /api/agents/agent_front": () =>
        problem(422, "validation_failed", "the request body is not valid", [
          { field: "/settings/temperature", message: "Expected number less than or equal to 2.000000" },
          { field: "/voice", message: "voice 'rms' is not offered by tts provider 'flite'", allowed: ["slt"] },
          { field: "/metadata/x", message: "unexpected" },
        ]),
    });
    renderEdit();
    await userEvent.click(await screen.findByRole("button", { name: "Save changes" }));

    const temperature = screen.getByLabelText("Temperature");
    await waitFor(() => expect(temperature).toHaveAttribute("aria-invalid", "true"));
    expect(temperature).toHaveAccessibleDescription(/less than or equal to 2/);
    expect(screen.getByLabelText("Voice")).toHaveAccessibleDescription(/not offered by tts provider 'flite' \(allowed: slt\)/);
    const summary = screen.getAllByRole("alert")[0];
    expect(summary).toHaveTextContent("the request body is not valid");
    expect(summary).toHaveTextContent("/metadata/x unexpected");
    expect(summary).not.toHaveTextContent("/voice");
  });

  it("refuses to send tools that are not JSON", async () => {
    serve({ "PUT /api/agents/agent_front": () => json(agent) });
    renderEdit();
    const tools = await screen.findByLabelText("Tools");
    await userEvent.clear(tools);
    await userEvent.type(tools, "[[{{oops"); // types "[{oops" (user-event escapes)
    expect(tools).toHaveAccessibleDescription(/not valid JSON/);
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Some fields need fixing before the agent can be saved.")).toBeInTheDocument();
    expect(requestsTo("PUT", "/api/agents/agent_front")).toHaveLength(0);
  });

  it("creates an agent with POST and opens it", async () => {
    serve({ "POST /api/agents": (request) => json({ ...agent, id: "agent_new", ...(request.body as object) }, 201) });
    renderNew();
    await userEvent.type(await screen.findByLabelText("Name"), "Night line");
    await userEvent.selectOptions(screen.getByLabelText("Text-to-speech (TTS)"), "espeak");
    expect(screen.getByLabelText("Voice")).toHaveValue("en-us+klatt");
    await userEvent.click(screen.getByRole("button", { name: "Create agent" }));

    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/agents/agent_new"));
    const body = requestsTo("POST", "/api/agents")[0].body as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Night line", tts_provider: "espeak", voice: "en-us+klatt", status: "active" });
    expect(body).not.toHaveProperty("model");
    expect(body).not.toHaveProperty("stt_provider");
    expect(body.settings).toEqual({ temperature: 0.7, max_tokens: 256, tts_speed: 1, endpointing_ms: 300, end_call_after_silence_s: 30, speak_first: true });
  });

  it("filters the voices by language", async () => {
    serve();
    renderNew();
    await userEvent.selectOptions(await screen.findByLabelText("Text-to-speech (TTS)"), "espeak");
    await userEvent.type(screen.getByLabelText("Language"), "de-DE");
    const voice = screen.getByLabelText("Voice");
    expect(voice).toHaveValue("de");
    expect(screen.queryByRole("option", { name: /US English \(Klatt\)/ })).not.toBeInTheDocument();
  });

  it("offers to unassign the numbers when the agent still answers some", async () => {
    serve({
      "DELETE /api/agents/agent_front": (request) =>
        request.query.get("unassign_numbers") === "true"
          ? noContent()
          : problem(409, "agent_has_phone_numbers", "the agent answers 2 phone numbers"),
    });
    renderEdit();
    await userEvent.click(await screen.findByRole("button", { name: "Delete agent" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(await screen.findByText(/the agent answers 2 phone numbers/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Delete and unassign numbers" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, delete and unassign" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/agents$/));
    expect(requestsTo("DELETE", "/api/agents/agent_front").map((r) => r.query.get("unassign_numbers"))).toEqual([null, "true"]);
  });

  describe("Play sample", () => {
    const play = vi.fn(() => Promise.resolve());
    beforeEach(() => {
      vi.spyOn(window.HTMLMediaElement.prototype, "play").mockImplementation(play);
      URL.createObjectURL = vi.fn(() => "blob:sample");
      URL.revokeObjectURL = vi.fn();
    });
    afterEach(() => {
      vi.restoreAllMocks();
      play.mockClear();
    });

    it("posts the form's current TTS values and plays the WAV", async () => {
      serve({ "POST /api/test/tts": () => new Response(new Uint8Array([82, 73, 70, 70]), { headers: { "Content-Type": "audio/wav" } }) });
      renderEdit();
      await userEvent.selectOptions(await screen.findByLabelText("Voice"), "rms");
      const speed = screen.getByLabelText("TTS speed (×)");
      await userEvent.clear(speed);
      await userEvent.type(speed, "1.25");
      await userEvent.click(screen.getByRole("button", { name: "Play sample" }));

      await waitFor(() => expect(play).toHaveBeenCalledTimes(1));
      expect(requestsTo("POST", "/api/test/tts")[0].body).toEqual({
        agent_id: "agent_front",
        tts_provider: "flite",
        voice: "rms",
        language: "en-US",
        tts_speed: 1.25,
      });
      expect(URL.createObjectURL).toHaveBeenCalled();
    });

    it("shows the API's error", async () => {
      serve({ "POST /api/test/tts": () => problem(503, "provider_unavailable", "tts provider 'flite' is not loaded") });
      renderEdit();
      await userEvent.click(await screen.findByRole("button", { name: "Play sample" }));
      expect(await screen.findByText(/tts provider 'flite' is not loaded/)).toBeInTheDocument();
      expect(play).not.toHaveBeenCalled();
    });
  });
});
