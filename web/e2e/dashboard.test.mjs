// The dashboard end to end, as a user goes through it, in Debian's Chromium
// against a real voxd serving the built dashboard (web/dist):
// sign in, create an agent, build a three-node call flow by dragging node types
// from the palette and save it, place a test call whose microphone speaks a WAV,
// see the transcript and hear the agent (its audio energy), hang up, and find the
// call in the history. Screenshots go to $VOX_E2E_ARTIFACTS (or a temp folder).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVoxd } from "./support/voxd.mjs";
import { launchChromium } from "./support/browser.mjs";
import { writeCallerSpeech } from "./support/speech.mjs";

const artifacts = process.env.VOX_E2E_ARTIFACTS ?? mkdtempSync(join(tmpdir(), "vox-web-e2e-artifacts-"));
mkdirSync(artifacts, { recursive: true });

const greeting = "Hello, this is the Vox test line. Please say yes.";
const followUp = "Thank you. Your answer is recorded.";

let voxd;
let browser;
let page;
let failed = false;
const state = {};

async function screenshot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

before(async () => {
  voxd = await startVoxd({ logDir: artifacts });
  // The agent's greeting plays for about 3 s after the call connects; the
  // caller says "yes" after it, then stays silent.
  const microphoneWav = join(artifacts, "caller-yes.wav");
  writeCallerSpeech(microphoneWav, "yes", { leadSeconds: 6, tailSeconds: 20 });
  browser = await launchChromium({ microphoneWav });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["microphone"], { origin: voxd.baseUrl });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await voxd?.stop({ keepData: failed });
  console.log(`screenshots and voxd.log: ${artifacts}`);
});

/** Runs a step; a failure leaves a screenshot named after it. */
async function step(name, body) {
  try {
    await body();
    await screenshot(name);
  } catch (error) {
    failed = true;
    await screenshot(`${name}-FAILED`).catch(() => {});
    throw error;
  }
}

test("sign in by pasting an API key", () =>
  step("01-signed-in", async () => {
    await page.goto(voxd.baseUrl + "/");
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel("API key").fill("vox_not_a_key_at_all_000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await page.getByLabel("API key").fill(voxd.apiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/agents$/);
    // The demo agent voxd creates on its first start is listed.
    await page.getByText("Riverside Clinic receptionist (demo)").waitFor();
  }));

test("create an agent", () =>
  step("02-agent-created", async () => {
    await page.getByRole("link", { name: "New agent" }).click();
    await page.getByLabel("Name", { exact: true }).fill("E2E front desk");
    await page.getByLabel("System prompt").fill("You answer the Vox test line.");
    // The voice sample is synthesised by the agent's TTS (flite here) and played.
    const [sample] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith("/api/test/tts")),
      page.getByRole("button", { name: "Play sample" }).click(),
    ]);
    assert.equal(sample.status(), 200);
    assert.equal(sample.headers()["content-type"], "audio/wav");
    // (The page reads the body itself; its length is in the header.)
    const bytes = Number(sample.headers()["content-length"]);
    assert.ok(bytes > 16_000, `a sample of at least half a second: ${bytes} bytes`);
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.waitForURL(/\/agents\/agent_[A-Za-z0-9]+$/);
    state.agentId = page.url().split("/").pop();
    const stored = await voxd.api("GET", `/api/agents/${state.agentId}`);
    assert.equal(stored.name, "E2E front desk");
    assert.equal(stored.system_prompt, "You answer the Vox test line.");
  }));

async function dragFromPalette(type, x, y) {
  const canvas = page.getByTestId("flow-canvas");
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: { x, y } });
}

async function connect(sourceId, targetId) {
  const source = page.locator(`[data-testid="flow-node-${sourceId}"] .react-flow__handle.source`);
  const target = page.locator(`[data-testid="flow-node-${targetId}"] .react-flow__handle.target`);
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 10 + to.width / 2, from.y + ((to.y - from.y) * i) / 10 + to.height / 2);
  }
  await page.mouse.up();
}

async function setNodeText(nodeId, label, text) {
  await page.getByTestId(`flow-node-${nodeId}`).click();
  const panel = page.getByTestId("flow-side-panel");
  await panel.getByLabel(label, { exact: true }).fill(text);
}

test("build a three-node call flow in the flow builder and save it", () =>
  step("03-flow-saved", async () => {
    await page.goto(`${voxd.baseUrl}/agents/${state.agentId}/flow`);
    await page.getByTestId("flow-palette").waitFor();
    await dragFromPalette("conversation", 300, 80);
    await dragFromPalette("conversation", 300, 260);
    await dragFromPalette("end_call", 300, 440);
    await page.getByTestId("flow-node-end_call_1").waitFor();
    await connect("conversation_1", "conversation_2");
    await connect("conversation_2", "end_call_1");
    await setNodeText("conversation_1", "Text", greeting);
    // The greeting expects a yes or a no: the recogniser listens for those words only (flows.md).
    const panel = page.getByTestId("flow-side-panel");
    await panel.getByLabel("Set expected answer").check();
    await panel.getByLabel(/^Answer/).selectOption("yes_no");
    await setNodeText("conversation_2", "Text", followUp);
    await setNodeText("end_call_1", "Goodbye", "Goodbye.");
    await page.getByTestId("flow-auto-layout").click();
    await page.getByTestId("flow-save").click();
    await page.getByTestId("flow-status").filter({ hasText: "Saved" }).waitFor();

    const flow = await voxd.api("GET", `/api/agents/${state.agentId}/flow`);
    assert.equal(flow.start_node_id, "conversation_1");
    assert.deepEqual(flow.nodes.map((node) => node.type).sort(), ["conversation", "conversation", "end_call"]);
    const greetingNode = flow.nodes.find((node) => node.id === "conversation_1");
    assert.equal(greetingNode.config.text, greeting);
    assert.deepEqual(greetingNode.config.expect, { type: "yes_no" });
    const joins = flow.edges.map((edge) => `${edge.source}->${edge.target}`).sort();
    assert.deepEqual(joins, ["conversation_1->conversation_2", "conversation_2->end_call_1"]);

    // The saved flow comes back as it was after a reload.
    await page.reload();
    await page.getByTestId("flow-node-conversation_2").waitFor();
  }));

test("place a test call from the browser: transcript and the agent's audio", () =>
  step("04-test-call", async () => {
    await page.goto(`${voxd.baseUrl}/agents/${state.agentId}/test`);
    await page.getByTestId("call-start").click();
    await page.locator('[data-testid="call-state"][data-state="live"]').waitFor();

    const transcript = page.getByTestId("transcript");
    // The greeting, spoken and transcribed; then the caller's "yes" from the WAV,
    // heard by pocketsphinx; then the flow's next node answers.
    await transcript.locator('[data-testid="transcript-entry"][data-role="agent"]', { hasText: "Vox test line" }).first().waitFor();
    await transcript
      .locator('[data-testid="transcript-entry"][data-role="user"][data-final="true"]', { hasText: /yes/i })
      .first()
      .waitFor({ timeout: 30_000 });
    await transcript.locator('[data-testid="transcript-entry"][data-role="agent"]', { hasText: "answer is recorded" }).first().waitFor({ timeout: 20_000 });
    await page.getByTestId("latency-row").first().waitFor();
    await screenshot("04-test-call-live");

    // The agent's audio reached the speakers: energy well above silence.
    const stats = await page.evaluate(() => window.__voxTestCall);
    assert.ok(stats.framesReceived > 50, `agent audio frames received: ${stats.framesReceived}`);
    assert.ok(stats.agentPlayedRmsMax > 0.02, `agent audio RMS played: ${stats.agentPlayedRmsMax}`);
    assert.ok(stats.framesSent > 100, `microphone frames sent: ${stats.framesSent}`);
    state.callId = stats.callId;

    await page.getByTestId("call-hangup").click();
    await page.locator('[data-testid="call-state"][data-state="ended"]').waitFor();
    await page.getByTestId("call-link").waitFor();
    const record = await voxd.api("GET", `/api/calls/${state.callId}`);
    assert.equal(record.status, "completed");
    assert.equal(record.disconnection_reason, "user_hangup");
    assert.ok(record.transcript.some((line) => line.speaker === "user" && /yes/i.test(line.text)));
    // The agent has no LLM: the caller's words were scored offline ("yes" is neutral).
    assert.equal(record.call_analysis?.method, "lexicon");
    assert.equal(record.sentiment, "neutral");
  }));

test("find the call in the history and open it", () =>
  step("05-call-page", async () => {
    await page.getByRole("link", { name: "Calls", exact: true }).click();
    await page.waitForURL(/\/calls(\?.*)?$/);
    const row = page.locator(`[data-testid="call-row"][data-call-id="${state.callId}"]`);
    await row.waitFor();
    await row.locator('[data-testid="call-status"][data-status="completed"]').waitFor();
    await screenshot("05-call-history");
    await row.getByTestId("call-link").click();
    await page.waitForURL(new RegExp(`/calls/${state.callId}$`));
    await page.locator('[data-testid="transcript-line"][data-speaker="agent"]', { hasText: "Vox test line" }).first().waitFor();
    await page.locator('[data-testid="transcript-line"][data-speaker="user"]', { hasText: /yes/i }).first().waitFor();
    await page.getByTestId("disconnection-reason").waitFor();
    assert.match(await page.getByTestId("disconnection-reason").innerText(), /hung up|user_hangup/i);
    await page.locator('[data-testid="analysis-method"][data-method="lexicon"]').waitFor();
    assert.match(await page.getByTestId("analysis-sentiment").innerText(), /neutral/i);
  }));
