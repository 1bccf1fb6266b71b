import { html, type Html } from './html.js';

/** The frame of every page: one stylesheet, no script, the Latchkey header. */
export function layout(options: {
  title: string;
  body: Html;
  wide?: boolean;
  head?: Html;
}): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · Latchkey</title>
        <link rel="stylesheet" href="/assets/latchkey.css" />
        ${options.head ?? ''}
      </head>
      <body>
        <header class="brand"><span class="brand-mark" aria-hidden="true">◆</span> Latchkey</header>
        <main class="${options.wide ? 'card wide' : 'card'}">${options.body}</main>
        <footer class="footer">Secure sign-in for your organisation</footer>
      </body>
    </html> `.value;
}
