import type { Agent, Call } from "../../api/types";

// Call records and agents shaped as voxd documents them (docs/api.md), for the calls pages' tests.

export const AGENTS = [
  { id: "agent_front", name: "Front desk", status: "active", language: "en-US", voice: "slt", settings: {}, stats: { calls_handled: 3, success_rate: 1, avg_latency: 480 }, created_at: "2026-11-24T08:00:00.000Z", updated_at: "2026-11-24T08:00:00.000Z" },
  { id: "agent_demo", name: "Riverside Clinic receptionist (demo)", status: "active", language: "en-US", voice: "slt", settings: {}, stats: { calls_handled: 1, success_rate: 1, avg_latency: 0 }, created_at: "2026-11-24T08:00:00.000Z", updated_at: "2026-11-24T08:00:00.000Z" },
] as unknown as Agent[];

export function makeCall(overrides: Partial<Call> = {}): Call {
  return {
    id: "call_done",
    agent_id: "agent_front",
    phone_number: "+14155550100",
    direction: "inbound",
    status: "completed",
    started_at: "2026-11-24T09:00:00.000Z",
    ended_at: "2026-11-24T09:02:05.000Z",
    duration: 125,
    sentiment: "unknown",
    disconnection_reason: "user_hangup",
    latency: {
      e2e: { p50: 480, p90: 610, p95: 655, p99: 700, min: 390, max: 720, count: 14 },
      stt: { p50: 120, p90: 150, p95: 160, p99: 170, min: 90, max: 180, count: 14 },
      llm: { p50: 210, p90: 260, p95: 280, p99: 300, min: 150, max: 310, count: 14 },
      tts: { p50: 90, p90: 110, p95: 115, p99: 120, min: 70, max: 125, count: 14 },
    },
    transcript: [
      { speaker: "agent", text: "Hello, this is the clinic.", start: 0.0, end: 1.6 },
      { speaker: "user", text: "I'd like an appointment.", start: 2.1, end: 3.4 },
    ],
    recording_url: null,
    metadata: {},
    created_at: "2026-11-24T09:02:05.120Z",
    ...overrides,
  } as Call;
}
