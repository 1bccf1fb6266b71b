import type { RequestHandler } from 'express';
import { UUID, type PageDoors } from './login-kit.js';

/**
 * Middleware spending a sign-in page request's budget before anything of it is parsed or
 * looked up: `login` per client address; an IdP's answer (`login_callback`, `saml`) per
 * address and per the route's connection. A refusal is the error page (429, saying when
 * to try again); `when` leaves requests that look nothing up uncounted.
 */
export function pageDoor(
  doors: PageDoors | undefined,
  door: 'login' | 'login_callback' | 'saml',
  when: (query: Record<string, unknown>) => boolean = () => true,
): RequestHandler {
  return (req, _res, next) => {
    if (!doors || !when(req.query)) {
      next();
      return;
    }
    const ip = req.ip ?? null;
    const connectionId = String(req.params.connectionId ?? '');
    const spent =
      door === 'login'
        ? doors.login(ip)
        : doors.callback(door, ip, UUID.test(connectionId) ? connectionId : null);
    spent.then(() => next(), next);
  };
}
