import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import WaveSurfer from "wavesurfer.js";
import { rawFetch } from "../../api/client";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatOffsetMs } from "./format";

/**
 * The call's recording: fetched with the API key (an <audio src> could not send it) into a Blob, drawn by
 * wavesurfer.js. Recordings are stereo, caller left and agent right, so each channel gets its own waveform.
 */
export function RecordingPlayer({ url }: { url: string }) {
  const recording = useQuery({
    queryKey: ["recording", url],
    queryFn: async () => (await rawFetch(url, { headers: { Accept: "audio/wav, application/problem+json" } })).blob(),
    staleTime: Infinity,
  });
  if (recording.error) return <ErrorMessage error={recording.error} title="Cannot load the recording" />;
  if (!recording.data) return <Loading what="the recording" />;
  return <Waveform blob={recording.data} />;
}

function Waveform({ blob }: { blob: Blob }) {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [playing, setPlaying] = useState(false);
  const [ready, setReady] = useState(false);
  const [position, setPosition] = useState({ at: 0, duration: 0 });
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const instance = WaveSurfer.create({
      container: container.current,
      height: 56,
      cursorColor: "#1d2330",
      splitChannels: [
        { waveColor: "#7d93d6", progressColor: "#2f5bd3" },
        { waveColor: "#8fc7a1", progressColor: "#137333" },
      ],
    });
    surfer.current = instance;
    const unsubscribe = [
      instance.on("ready", (duration) => {
        setReady(true);
        setPosition({ at: 0, duration });
      }),
      instance.on("play", () => setPlaying(true)),
      instance.on("pause", () => setPlaying(false)),
      instance.on("finish", () => setPlaying(false)),
      instance.on("timeupdate", (at) => setPosition((old) => ({ ...old, at }))),
      instance.on("error", (error) => setFailure(error.message || "the audio could not be decoded")),
    ];
    instance.loadBlob(blob).catch((error: unknown) => {
      setFailure(error instanceof Error ? error.message : "the audio could not be decoded");
    });
    return () => {
      unsubscribe.forEach((off) => off());
      instance.destroy();
      surfer.current = null;
    };
  }, [blob]);

  return (
    <div className="recording" data-testid="recording">
      <div className="recording-controls">
        <button
          type="button"
          className="primary"
          disabled={!ready}
          onClick={() => void surfer.current?.playPause()}
          aria-label={playing ? "Pause the recording" : "Play the recording"}
        >
          {playing ? "Pause" : "Play"}
        </button>
        <span className="muted">
          {formatOffsetMs(position.at * 1000)} / {formatOffsetMs(position.duration * 1000)}
        </span>
        <span className="recording-legend">
          <span className="legend-caller">■ caller (left)</span>{" "}
          <span className="legend-agent">■ agent (right)</span>
        </span>
      </div>
      {failure && <p className="error">Cannot play the recording: {failure}</p>}
      <div ref={container} className="recording-waveform" />
    </div>
  );
}
