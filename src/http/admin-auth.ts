import type { RequestHandler } from 'express';
import { AppError } from '../platform/errors.js';

/**
 * Bearer API-key authentication in front of every /api/v1 route. Whatever the key
 * stands for is put on res.locals.principal; no key, or a key that does not verify,
 * is 401 before any route runs.
 */
export function adminAuth(authenticate: (presented: string) => Promise<unknown>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match ? await authenticate(match[1]!) : null;
    if (!principal) {
      next(
        new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer lk_…).', {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="latchkey-admin"' },
        }),
      );
      return;
    }
    res.locals.principal = principal;
    next();
  };
}
