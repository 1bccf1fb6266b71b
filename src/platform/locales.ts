/**
 * The languages Latchkey's end-user pages are shipped in (issue 20): BCP 47 language
 * tags, each with a message catalog in src/http/i18n/catalogs/. The configuration's
 * `pages.defaultLocale` is one of them.
 */
export const SHIPPED_LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;

export type Locale = (typeof SHIPPED_LOCALES)[number];

export const isShippedLocale = (tag: unknown): tag is Locale =>
  typeof tag === 'string' && (SHIPPED_LOCALES as readonly string[]).includes(tag);
