import type { CallError } from "./events";

// Getting the microphone, with failures a page can show as they are (denied, no device, busy).

/** The browser processing a voice call wants: the agent's voice must not come back as the caller's. */
export const VOICE_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
  video: false,
};

export class MicrophoneError extends Error implements CallError {
  readonly fatal = true;
  constructor(
    readonly code: "microphone_denied" | "microphone_not_found" | "microphone_unavailable",
    message: string,
  ) {
    super(message);
    this.name = "MicrophoneError";
  }
}

/** Asks for the microphone (the permission prompt); rejects with a MicrophoneError. */
export async function requestMicrophone(constraints: MediaStreamConstraints = VOICE_CONSTRAINTS): Promise<MediaStream> {
  const media = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  if (!media || typeof media.getUserMedia !== "function") {
    throw new MicrophoneError(
      "microphone_unavailable",
      "This browser gives no microphone access here (it needs a secure context: https, or http://localhost).",
    );
  }
  try {
    return await media.getUserMedia(constraints);
  } catch (cause) {
    throw toMicrophoneError(cause);
  }
}

export function toMicrophoneError(cause: unknown): MicrophoneError {
  const name = cause instanceof Error || isDomException(cause) ? (cause as { name: string }).name : "";
  const detail = cause instanceof Error ? cause.message : String(cause);
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return new MicrophoneError(
        "microphone_denied",
        "Microphone access was denied. Allow the microphone for this site in the browser and try again.",
      );
    case "NotFoundError":
    case "OverconstrainedError":
      return new MicrophoneError("microphone_not_found", "No microphone was found. Connect one and try again.");
    case "NotReadableError":
    case "AbortError":
      return new MicrophoneError(
        "microphone_unavailable",
        `The microphone could not be opened (another application may be using it): ${detail}`,
      );
    default:
      return new MicrophoneError("microphone_unavailable", `The microphone could not be opened: ${detail}`);
  }
}

function isDomException(value: unknown): boolean {
  return typeof DOMException !== "undefined" && value instanceof DOMException;
}
