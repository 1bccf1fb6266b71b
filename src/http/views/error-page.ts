import { adviceFor } from './error-advice.js';
import { html } from './html.js';
import { layout, type OrgLook } from './layout.js';

export function errorPage(options: {
  status: number;
  title: string;
  message: string;
  code: string;
  requestId: string;
  /** The org's look, where the failure is known to concern one (a login at its IdP). */
  look?: OrgLook | null;
}): string {
  const advice = adviceFor(options.code);
  return layout({
    title: options.title,
    look: options.look,
    body: html`<h1>${options.title}</h1>
      <p class="lead">${advice?.happened ?? options.message}</p>
      ${advice ? html`<p>${advice.todo}</p>` : ''}
      <section aria-labelledby="it-details">
        <h2 id="it-details">Details for your IT team</h2>
        <dl class="meta">
          <dt>Reason</dt>
          <dd><code>${options.code}</code></dd>
          <dt>Correlation id</dt>
          <dd><code>${options.requestId}</code></dd>
        </dl>
        <p class="hint">Give them the correlation id: it finds this attempt in the logs.</p>
      </section>
      <p><a class="button" href="/login">Back to sign-in</a></p>`,
  });
}
