import { html, type Html } from './html.js';

/** Whose page it is: the name and mark in the header and title, its stylesheet, its footer. */
export interface Branding {
  name: string;
  mark: string;
  stylesheet: string;
  footer: string;
}

const LATCHKEY: Branding = {
  name: 'Latchkey',
  mark: '◆',
  stylesheet: '/assets/latchkey.css',
  footer: 'Secure sign-in for your organization',
};

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
 * development IdPs pass theirs (they stand in for other sites).
 */
export function layout(options: {
  title: string;
  body: Html;
  wide?: boolean;
  head?: Html;
  branding?: Branding;
  look?: OrgLook | null;
}): string {
  const brand = options.branding ?? LATCHKEY;
  const look = options.look;
  return html`<!doctype html>
    <html lang="en">
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
        <footer class="footer">${brand.footer}</footer>
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
