import type { RequestContext } from './request-context.js';

/**
 * A protocol endpoint that takes a POST with an application/x-www-form-urlencoded body and
 * answers JSON: OAuth 2's token, introspection and revocation endpoints. These carry most
 * of Latchkey's traffic, so http/ serves them ahead of the Express stack (same security
 * headers, request id, logs and metrics, none of the per-request middleware cost). A
 * handler throws AppErrors; they are rendered as RFC 6749 §5.2 `{error,
 * error_description}`.
 */
export interface FormEndpoint {
  /** Exact path, e.g. "/oauth/token"; only POST is served. */
  path: string;
  handle(request: FormRequest): Promise<FormResponse>;
  /** Told of every finished request (parameters may be empty if the body was refused). */
  observe?: (params: FormParams, statusCode: number, seconds: number) => void;
}

/** Parsed form parameters: a name sent twice arrives as an array. */
export type FormParams = Record<string, string | string[] | undefined>;

export interface FormRequest {
  params: FormParams;
  /** The Authorization header as sent, if any. */
  authorization: string | undefined;
  context: RequestContext;
}

export interface FormResponse {
  /** 200 unless said otherwise. */
  status?: number;
  /** Serialised as JSON; no body when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}
