/** Where a request came from, as the audit trail records it. */
export interface RequestContext {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}
