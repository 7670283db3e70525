import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];
export type FieldError = NonNullable<Problem["errors"]>[number];

/** An API failure: the RFC 9457 problem voxd answered with, or a network failure in the same shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** Field errors keyed by JSON Pointer (e.g. "/settings/temperature"). */
  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

/** Turns whatever a failed request produced into an ApiError with a message a person can read. */
export function toApiError(status: number, body: unknown, statusText = ""): ApiError {
  if (body && typeof body === "object" && "code" in body) {
    return new ApiError(body as Problem);
  }
  const detail = typeof body === "string" && body ? body : statusText || `request failed with status ${status}`;
  return new ApiError({
    type: "about:blank",
    title: statusText || "Request failed",
    status,
    code: status === 0 ? "network_error" : "http_error",
    detail,
  } as Problem);
}
