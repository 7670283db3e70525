// @vox/web-call: join a Vox web call from the browser (docs/protocol.md), Retell-web-client style.
export { VoxWebCall } from "./webCall";
export type {
  CallState,
  CallStats,
  StartCallOptions,
  VoxWebCallOptions,
  WebSocketConstructor,
  WebSocketLike,
} from "./webCall";
export type {
  CallEndedEvent,
  CallError,
  CallStartedEvent,
  ErrorEvent,
  KnownEvents,
  MetricsEvent,
  NodeTransitionEvent,
  ProtocolEvent,
  TalkingEvent,
  TranscriptEntry,
  TranscriptEvent,
  WebCallEvents,
} from "./events";
export { isEvent } from "./events";
export { MicrophoneError, VOICE_CONSTRAINTS, requestMicrophone } from "./microphone";
export type { CallAudio, CallAudioFactory, CallAudioOptions } from "./callAudio";
export { TranscriptBuilder } from "./transcript";
export { FRAME_MS, SAMPLE_RATES, frameBytes, samplesPerFrame } from "./pcm";
