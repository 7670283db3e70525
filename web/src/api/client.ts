import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { currentApiKey, signOut } from "../auth/session";
import { ApiError, toApiError } from "./problem";

// Every request goes to the server that served the dashboard (or the Vite dev proxy).
const withApiKey: Middleware = {
  onRequest({ request }) {
    const key = currentApiKey();
    if (key) request.headers.set("Authorization", `Bearer ${key}`);
    return request;
  },
  onResponse({ response }) {
    // A revoked or wrong key: back to the sign-in page rather than a page of errors.
    if (response.status === 401) signOut();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(withApiKey);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; an ApiError carrying the server's problem otherwise. */
export async function unwrap<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch (cause) {
    throw toApiError(0, cause instanceof Error ? `cannot reach voxd: ${cause.message}` : "cannot reach voxd");
  }
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error, result.response.statusText);
  }
  return result.data as T;
}

/** A page of a list endpoint: the items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function unwrapPage<T>(request: Promise<FetchResult<T[]>>): Promise<Page<T>> {
  const result = await request.catch((cause: unknown) => {
    throw toApiError(0, cause instanceof Error ? `cannot reach voxd: ${cause.message}` : "cannot reach voxd");
  });
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error, result.response.statusText);
  }
  return { items: result.data ?? [], nextCursor: result.response.headers.get("X-Next-Cursor") };
}

/** Requests outside the typed paths (binary answers such as audio): same key, same errors. */
export async function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = currentApiKey();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (cause) {
    throw toApiError(0, cause instanceof Error ? `cannot reach voxd: ${cause.message}` : "cannot reach voxd");
  }
  if (!response.ok) {
    if (response.status === 401) signOut();
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    throw toApiError(response.status, body, response.statusText);
  }
  return response;
}

export { ApiError };
