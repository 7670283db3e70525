// The API key the dashboard uses, kept for the browser session only (sessionStorage):
// closing the tab signs out, and the key never goes into a cookie the server would see.
const storageKey = "vox.api_key";

type Listener = () => void;
const listeners = new Set<Listener>();

export function currentApiKey(): string | null {
  return sessionStorage.getItem(storageKey);
}

export function signIn(apiKey: string): void {
  sessionStorage.setItem(storageKey, apiKey.trim());
  listeners.forEach((listener) => listener());
}

export function signOut(): void {
  sessionStorage.removeItem(storageKey);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * `scripts/run` prints a link like http://localhost:8080/#key=vox_...: the key travels in the
 * fragment, which browsers never send to the server, so it stays out of access logs. Takes it,
 * signs in and removes it from the address bar. Returns whether a key was found.
 */
export function takeKeyFromLocation(location: Location, history: History): boolean {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const key = fragment.get("key");
  if (!key) return false;
  signIn(key);
  history.replaceState(null, "", location.pathname + location.search);
  return true;
}
