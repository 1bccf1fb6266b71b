import type { RequestHandler } from 'express';
import { AppError } from '../platform/errors.js';
import type { Doors } from '../platform/rate-limit/index.js';

/** The doors of the admin API: each key's budget, and the backoff of failed key checks. */
export type AdminDoors = Pick<Doors, 'adminApi' | 'credentials'>;

/** The key id of a presented `lk_<id>_<secret>`, whatever its secret (null if not that shape). */
const keyIdOf = (presented: string) => /^lk_([0-9a-f]{32})_/.exec(presented)?.[1] ?? null;

/**
 * Bearer API-key authentication in front of every /api/v1 route. Whatever the key
 * stands for is put on res.locals.principal; no key, or a key that does not verify,
 * is 401 before any route runs. A presented key is checked inside its backoffs (429 while
 * one runs; each failure counted for the key and the address), and a verified one spends
 * its budget (limits.adminApiPerKey).
 */
export function adminAuth(
  authenticate: (presented: string) => Promise<unknown>,
  doors?: AdminDoors,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.get('authorization') ?? '';
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const keyId = presented ? keyIdOf(presented) : null;
      const principal = !presented
        ? null
        : doors
          ? await doors.credentials.verify(
              'api_key',
              keyId,
              req.ip ?? null,
              async () => (await authenticate(presented)) || null,
            )
          : await authenticate(presented);
      if (!principal) {
        throw new AppError(
          'unauthorized',
          'A valid API key is required (Authorization: Bearer lk_…).',
          {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer realm="latchkey-admin"' },
          },
        );
      }
      if (keyId) await doors?.adminApi(keyId);
      res.locals.principal = principal;
      next();
    } catch (error) {
      next(error);
    }
  };
}
