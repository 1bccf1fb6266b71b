import type { RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Locale } from '../../platform/locales.js';
import { negotiateLocale } from './negotiate.js';
import { translatorFor, type Translator } from './translator.js';

/** A page's words: its locale's translator, and where the language switcher returns to. */
export interface PageText extends Translator {
  /** A path of this origin that shows this page again (the switcher's return_to). */
  readonly here: string;
}

/** Each shipped language by its own name, as the switcher lists it. */
export const AUTONYMS: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ja: '日本語',
  ar: 'العربية',
};

/** The cookie that keeps the person's choice of language (`__Host-` where HTTPS). */
export const localeCookieName = (secure: boolean) =>
  secure ? '__Host-latchkey-locale' : 'latchkey-locale';

// Longer paths are not offered back to the switcher (a page reached by such a URL is
// shown again from the sign-in page instead).
const MAX_HERE = 2048;
const PAGE_TEXT = 'pageText';

/**
 * Middleware: the pages of this request get their words from `pageText(res)`, in the
 * locale negotiated on first use (negotiate.ts), which then also answers
 * Content-Language and Vary: Accept-Language. Responses that are not pages pay nothing.
 */
export function pageLocale(options: { defaultLocale: Locale; secure: boolean }): RequestHandler {
  const cookieName = localeCookieName(options.secure);
  return (req, res, next) => {
    let made: PageText | undefined;
    res.locals[PAGE_TEXT] = (): PageText => {
      if (made) return made;
      const locale = negotiateLocale(
        {
          cookie: parseCookies(req.get('cookie') ?? '')[cookieName] ?? null,
          acceptLanguage: req.get('accept-language') ?? null,
        },
        options.defaultLocale,
      );
      res.vary('Accept-Language');
      res.set('Content-Language', locale);
      // A page answering a GET shows again at its own URL; one answering a form post
      // cannot, and the switcher returns to the sign-in page.
      const here =
        req.method === 'GET' && req.originalUrl.length <= MAX_HERE ? req.originalUrl : '/login';
      made = { ...translatorFor(locale), here };
      return made;
    };
    next();
  };
}

/** This request's page words (English, back to sign-in, where pageLocale did not run). */
export function pageText(res: Response): PageText {
  const lazy: unknown = res.locals[PAGE_TEXT];
  return typeof lazy === 'function' ? (lazy as () => PageText)() : withHere(translatorFor('en'));
}

/** The same words, with the switcher returning to `here` (the sign-in page by default). */
export const withHere = (text: Translator, here = '/login'): PageText => ({ ...text, here });
