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
  return layout({
    title: options.title,
    look: options.look,
    body: html`<h1>${options.title}</h1>
      <p class="lead">${options.message}</p>
      <dl class="meta">
        <dt>Reason</dt>
        <dd><code>${options.code}</code></dd>
        <dt>Correlation id</dt>
        <dd><code>${options.requestId}</code></dd>
      </dl>
      <p class="hint">If you contact your IT help desk, give them the correlation id.</p>
      <p><a class="button" href="/login">Back to sign-in</a></p>`,
  });
}
