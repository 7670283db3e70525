// What each disconnection reason means, in words (docs/protocol.md section 6).
const EXPLANATIONS: Record<string, string> = {
  user_hangup: "The caller hung up or closed the connection.",
  agent_hangup: "The agent ended the call (a flow's end node or the LLM's end_call tool).",
  api_hangup: "The call was ended through the API (POST /api/calls/end), e.g. from this dashboard.",
  inactivity: "The caller said nothing for the agent's silence limit (end_call_after_silence_s).",
  max_duration_reached: "The call reached the agent's maximum duration (max_call_duration_s).",
  no_connection: "Nobody joined the web call before its access token expired.",
  dead_air: "The agent could not produce an answer after retries (a stalled provider).",
  error_stt: "The speech-to-text provider failed for good.",
  error_llm: "The LLM provider failed for good.",
  error_tts: "The text-to-speech provider failed for good.",
  error_transport: "The transport failed (a socket error, or the client vanished without closing).",
  call_transfer: "The call flow transferred the caller elsewhere.",
  error_flow: "The call flow could not go on: a node type not loaded, or a loop of node moves without the caller.",
  error_internal: "An internal error in voxd.",
  server_restart: "voxd stopped or died during the call.",
};

/** A sentence for a reason; unknown reasons (an import may carry any) say so rather than guess. */
export function explainDisconnection(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return EXPLANATIONS[reason] ?? "A reason voxd does not define (recorded by whoever imported the call).";
}
