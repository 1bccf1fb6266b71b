/** Where a request came from, as the audit trail records it. */
export interface RequestContext {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** The longest user agent kept: enough for any browser's, bounded for the audit row. */
const USER_AGENT_MAX = 512;

/**
 * The one place a RequestContext is made: the request id the request-id middleware (or
 * the form endpoints) assigned, the client address as the trust-proxy setting resolved
 * it, and the user agent cut to 512 characters.
 */
export function requestContext(source: {
  requestId: unknown;
  ip: string | null | undefined;
  userAgent: string | string[] | undefined;
}): RequestContext {
  return {
    requestId: typeof source.requestId === 'string' ? source.requestId : null,
    ip: source.ip ?? null,
    userAgent:
      typeof source.userAgent === 'string' ? source.userAgent.slice(0, USER_AGENT_MAX) : null,
  };
}

/** What a RequestContext is read from in an Express handler, without importing express. */
export interface HttpRequestLike {
  ip?: string | undefined;
  get(name: string): string | undefined;
}

/** The context of an Express request (`res.locals` holds the request id). */
export const contextOf = (req: HttpRequestLike, locals: Record<string, unknown>): RequestContext =>
  requestContext({ requestId: locals.requestId, ip: req.ip, userAgent: req.get('user-agent') });
