import { SHIPPED_LOCALES } from '../../platform/locales.js';
import { AUTONYMS, type PageText } from '../i18n/page-text.js';
import { html, type Html } from './html.js';

/** Whose page it is: the name and mark in the header and title, its stylesheet, its footer. */
export interface Branding {
  name: string;
  mark: string;
  stylesheet: string;
  /** The footer's words (Latchkey's own pages say theirs in the page's language). */
  footer: string;
}

const LATCHKEY: Branding = {
  name: 'Latchkey',
  mark: '◆',
  stylesheet: '/assets/latchkey.css',
  footer: 'Secure sign-in for your organization',
};

/**
 * The language switcher: a link per shipped language, each named in its own language,
 * to GET /locale, which keeps the choice in a cookie and comes back to `text.here`. Links,
 * not a script: it works in every browser.
 */
const languageSwitcher = (text: PageText) =>
  html`<nav class="languages" aria-label="${text.t('layout.language')}">
    <ul>
      ${SHIPPED_LOCALES.map(
        (locale) =>
          html`<li>
            <a
              href="/locale?lang=${locale}&amp;return_to=${encodeURIComponent(text.here)}"
              lang="${locale}"
              hreflang="${locale}"
              ${locale === text.locale ? html`aria-current="true"` : null}
              >${AUTONYMS[locale]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;

/**
 * An org's own look on the pages its employees see, once the page knows the org (the
 * branding service's PageBranding): its name (plain text, escaped here), its logo and the
 * stylesheet of its colour, both from this origin (the CSP allows img-src and style-src
 * 'self', and no inline style).
 */
export interface OrgLook {
  displayName: string;
  logoUrl: string | null;
  themeUrl: string | null;
}

const header = (brand: Branding, look: OrgLook | null | undefined) =>
  look
    ? html`<header class="brand">
        ${
          look.logoUrl
            ? html`<img class="brand-logo" src="${look.logoUrl}" alt="" />`
            : html`<span class="brand-mark" aria-hidden="true">${brand.mark}</span>`
        }
        ${look.displayName}
      </header>`
    : html`<header class="brand">
        <span class="brand-mark" aria-hidden="true">${brand.mark}</span> ${brand.name}
      </header>`;

/**
 * The frame of every page: one stylesheet, no script, the header. Latchkey's own pages
 * carry its branding, or the org's look (`look`) where the page knows the org; the
 * development IdPs pass theirs (they stand in for other sites). A page given its `text`
 * (i18n/page-text.ts) is in that language, with `lang`, `dir` and the language switcher
 * (`switcher: false` leaves it out, on pages that move on by themselves); one without is
 * English.
 */
export function layout(options: {
  title: string;
  body: Html;
  wide?: boolean;
  head?: Html;
  branding?: Branding;
  look?: OrgLook | null;
  text?: PageText;
  switcher?: boolean;
}): string {
  const { text, look } = options;
  const brand = options.branding ?? LATCHKEY;
  const footer = text && !options.branding ? text.t('layout.footer') : brand.footer;
  return html`<!doctype html>
    <html lang="${text?.locale ?? 'en'}" dir="${text?.dir ?? 'ltr'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · ${look?.displayName ?? brand.name}</title>
        <link rel="stylesheet" href="${brand.stylesheet}" />
        ${look?.themeUrl ? html`<link rel="stylesheet" href="${look.themeUrl}" />` : ''}
        ${options.head ?? ''}
      </head>
      <body>
        ${header(brand, look)}
        <main class="${options.wide ? 'card wide' : 'card'}">${options.body}</main>
        <footer class="footer">
          ${footer} ${text && options.switcher !== false ? languageSwitcher(text) : ''}
        </footer>
      </body>
    </html> `.value;
}

/** The email field of a sign-in form: the one the browser fills with the username. */
/** The work email field; `error` names the element that says what is wrong with it. */
export const emailInput = (value: string, describedBy?: string, error?: boolean) =>
  html`<input
    id="email"
    name="email"
    type="email"
    autocomplete="username"
    required
    autofocus
    value="${value}"
    ${describedBy ? html`aria-describedby="${describedBy}"` : null}
    ${error ? html`aria-invalid="true"` : null}
  />`;
