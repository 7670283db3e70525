// A test fake of voxd's documented answers. Import this module FIRST in a test file: the API client
// (openapi-fetch) keeps the fetch it finds when it is created, so the fake must be in place before.
import { vi } from "vitest";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The JSON body, parsed; undefined when there is none. */
  body: unknown;
}

export type RouteHandler = (request: RecordedRequest) => Response | Promise<Response>;

let routes = new Map<string, RouteHandler>();

async function record(input: RequestInfo | URL, init?: RequestInit): Promise<RecordedRequest> {
  const request = input instanceof Request ? input : null;
  const url = new URL(request ? request.url : String(input), "http://localhost");
  const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
  const text = init?.body !== undefined && init.body !== null ? String(init.body) : request ? await request.text() : "";
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: new Headers(init?.headers ?? request?.headers),
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

/** Every request the page made, in order. */
export const requests: RecordedRequest[] = [];

export const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const recorded = await record(input, init);
  requests.push(recorded);
  const handler = routes.get(`${recorded.method} ${recorded.path}`);
  if (!handler) return problem(404, "not_found", `the test fake has no ${recorded.method} ${recorded.path}`);
  return handler(recorded);
});

globalThis.fetch = fetchMock as typeof fetch;

// A browser resolves a relative URL against the page; Node's Request (used under jsdom) refuses it. The API client
// builds Requests from paths such as "/api/agents", so resolve them against the test page as a browser would.
const NodeRequest = globalThis.Request;
globalThis.Request = class extends NodeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, window.location.href) : input, init);
  }
} as typeof Request;

/** Replaces the routes the fake answers, keyed "METHOD /path" (the query is not part of the key). */
export function fakeApi(table: Record<string, RouteHandler>) {
  routes = new Map(Object.entries(table));
  requests.length = 0;
  fetchMock.mockClear();
}

export function requestsTo(method: string, path: string): RecordedRequest[] {
  return requests.filter((request) => request.method === method && request.path === path);
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors?: { field: string; message: string; allowed?: unknown[] }[],
): Response {
  return new Response(
    JSON.stringify({ type: `urn:vox:problem:${code}`, title: code, status, code, detail, request_id: "test", errors }),
    { status, headers: { "Content-Type": "application/problem+json" } },
  );
}
