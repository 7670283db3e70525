import { rawFetch } from "../../api/client";

import type { TtsTestInput } from "../../api/types";

/** POST /api/test/tts: every field optional; given fields override the agent's TTS settings. */
export type TestTtsRequest = TtsTestInput;

/** Synthesises a sample; resolves to the WAV (PCM16 mono), rejects with the API's problem as an ApiError. */
export async function synthesiseSample(request: TestTtsRequest): Promise<Blob> {
  const response = await rawFetch("/api/test/tts", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "audio/wav, application/problem+json" },
    body: JSON.stringify(request),
  });
  return response.blob();
}
