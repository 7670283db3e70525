import { useCallback } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { ProtocolEvent } from "@vox/web-call";
import { useEventSocket } from "../../live/useEventSocket";

/**
 * While `waiting`, listens to /ws/events for the call's `call_analyzed` (sent once the agent's LLM analysis is
 * stored, after call_ended) and refetches the record, so the summary appears without a reload.
 */
export function useRefreshOnCallAnalyzed(callId: string, waiting: boolean) {
  const queryClient = useQueryClient();
  const onEvent = useCallback(
    (event: ProtocolEvent) => {
      if (event.type === "call_analyzed" && event.call_id === callId) {
        void queryClient.invalidateQueries({ queryKey: ["calls", "one", callId] });
      }
    },
    [queryClient, callId],
  );
  useEventSocket(waiting ? "/ws/events" : null, onEvent, { reconnect: true });
}
