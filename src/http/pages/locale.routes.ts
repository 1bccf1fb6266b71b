import { Router } from 'express';
import { safeReturnTarget } from '../../federation/index.js';
import { errorStyle } from '../../platform/error-style.js';
import { AppError } from '../../platform/errors.js';
import { isShippedLocale } from '../../platform/locales.js';
import { localeCookieName } from '../i18n/page-text.js';

// The choice of language is kept a year: it is the person's, not the sign-in's.
const LOCALE_COOKIE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * GET /locale?lang=…&return_to=…: the pages' language switcher (plain links, no script).
 * Keeps a shipped language in a cookie that outranks Accept-Language (i18n/negotiate.ts)
 * and goes back to the page, a path of this origin only (else the sign-in page). A
 * language that is not shipped is refused, and no cookie is set.
 */
export function localeRouter(options: { secure: boolean }): Router {
  const router = Router();
  const cookieName = localeCookieName(options.secure);
  router.get('/locale', errorStyle('html'), (req, res) => {
    const lang = req.query.lang;
    if (!isShippedLocale(lang)) {
      throw new AppError('locale_unknown', 'This language is not available here.', {
        status: 400,
        detail: `lang=${typeof lang === 'string' ? lang.slice(0, 32) : typeof lang}`,
      });
    }
    res.cookie(cookieName, lang, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: options.secure,
      maxAge: LOCALE_COOKIE_MAX_AGE_MS,
    });
    // Never elsewhere: only a path of this origin (no registered redirect URI either).
    res.redirect(303, safeReturnTarget(req.query.return_to, () => false) ?? '/login');
  });
  return router;
}
