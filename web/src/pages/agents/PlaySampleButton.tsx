import { useEffect, useRef } from "react";
import { useMutation } from "@tanstack/react-query";
import { ErrorMessage } from "../../components/Status";
import { synthesiseSample, type TestTtsRequest } from "./sampleSpeech";

/** Builds the request from the form's current (maybe unsaved) values: only what is set overrides the agent. */
export function sampleRequest(values: {
  agentId?: string;
  ttsProvider: string;
  voice: string;
  language: string;
  ttsSpeed?: number;
}): TestTtsRequest {
  const request: TestTtsRequest = {};
  if (values.agentId) request.agent_id = values.agentId;
  if (values.ttsProvider) request.tts_provider = values.ttsProvider;
  if (values.voice) request.voice = values.voice;
  if (values.language) request.language = values.language;
  if (values.ttsSpeed !== undefined) request.tts_speed = values.ttsSpeed;
  return request;
}

/** Plays a sample of the chosen voice (POST /api/test/tts) so it can be heard before saving. */
export function PlaySampleButton({ request }: { request: TestTtsRequest }) {
  const urlRef = useRef<string | null>(null);
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const releaseAudio = () => {
    audioRef.current?.pause();
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    urlRef.current = null;
  };
  useEffect(() => releaseAudio, []);

  const sample = useMutation({
    mutationFn: () => synthesiseSample(request),
    onSuccess: async (wav) => {
      releaseAudio();
      urlRef.current = URL.createObjectURL(wav);
      audioRef.current = new Audio(urlRef.current);
      await audioRef.current.play();
    },
  });

  return (
    <div className="play-sample">
      <button type="button" onClick={() => sample.mutate()} disabled={sample.isPending} aria-live="polite">
        {sample.isPending ? "Synthesising…" : "Play sample"}
      </button>
      {sample.error && <ErrorMessage error={sample.error} title="Sample" />}
    </div>
  );
}
