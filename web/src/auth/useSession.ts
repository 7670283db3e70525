import { useSyncExternalStore } from "react";
import { currentApiKey, onSessionChange } from "./session";

/** The signed-in API key (null when signed out); re-renders on sign in and out. */
export function useApiKey(): string | null {
  return useSyncExternalStore(onSessionChange, currentApiKey, () => null);
}
