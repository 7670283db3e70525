import { rawFetch } from "../../api/client";

// Endpoints not yet in docs/openapi.json, typed here until `npm run gen:api` covers them.

/** POST /api/test/tts: every field optional; given fields override the agent's TTS settings. */
export interface TestTtsRequest {
  agent_id?: string;
  tts_provider?: string;
  voice?: string;
  language?: string;
  tts_speed?: number;
  text?: string;
}

/** Synthesises a sample; resolves to the WAV (PCM16 mono), rejects with the API's problem as an ApiError. */
export async function synthesiseSample(request: TestTtsRequest): Promise<Blob> {
  const response = await rawFetch("/api/test/tts", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "audio/wav, application/problem+json" },
    body: JSON.stringify(request),
  });
  return response.blob();
}
