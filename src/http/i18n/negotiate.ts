import { match } from '@formatjs/intl-localematcher';
import Negotiator from 'negotiator';
import { isShippedLocale, SHIPPED_LOCALES, type Locale } from '../../platform/locales.js';

// An Accept-Language header longer than this is cut before it is parsed: real browsers
// send a few dozen bytes, and nothing a page shows is worth parsing kilobytes for.
const MAX_ACCEPT_LANGUAGE = 512;

/** The browser's languages, most preferred first (RFC 9110 §12.5.4 q-values), valid tags only. */
function requestedLocales(acceptLanguage: string): string[] {
  const ranges = new Negotiator({
    headers: { 'accept-language': acceptLanguage.slice(0, MAX_ACCEPT_LANGUAGE) },
  }).languages();
  return ranges.flatMap((range) => {
    if (range === '*') return [];
    try {
      return Intl.getCanonicalLocales(range);
    } catch {
      return [];
    }
  });
}

/**
 * The locale of a page: the person's own choice (the switcher's cookie) when it names a
 * shipped locale, else the first of the browser's languages (by q-value) that a shipped
 * locale serves, by RFC 4647 lookup (de-CH falls back to de), else the default.
 */
export function negotiateLocale(
  request: { cookie?: string | null; acceptLanguage?: string | null },
  defaultLocale: Locale,
): Locale {
  if (isShippedLocale(request.cookie)) return request.cookie;
  const requested = requestedLocales(request.acceptLanguage ?? '');
  if (requested.length === 0) return defaultLocale;
  const found = match(requested, SHIPPED_LOCALES, defaultLocale, { algorithm: 'lookup' });
  return isShippedLocale(found) ? found : defaultLocale;
}
