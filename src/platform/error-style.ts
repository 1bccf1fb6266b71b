/**
 * Which audience an endpoint's errors are rendered for (rule of the house 8):
 *   problem  admin API          RFC 9457 application/problem+json with a stable `code`
 *   oauth    protocol endpoints RFC 6749 §5.2 {error, error_description}
 *   html     browser pages      an error page with the correlation id
 *   scim     SCIM endpoints     RFC 7644 §3.12 application/scim+json with `scimType`
 * Routes mark themselves with `errorStyle(...)`; the one renderer in http/ reads it.
 */
export type ErrorStyle = 'problem' | 'oauth' | 'html' | 'scim';

interface LocalsCarrier {
  locals: Record<string, unknown>;
}

/** Route-level marker middleware (typed structurally, so domains need not import express). */
export const errorStyle =
  (style: ErrorStyle) =>
  (_req: unknown, res: LocalsCarrier, next: () => void): void => {
    res.locals.errorStyle = style;
    next();
  };
