import { html } from './html.js';
import { layout } from './layout.js';

export function errorPage(options: {
  status: number;
  title: string;
  message: string;
  code: string;
  requestId: string;
}): string {
  return layout({
    title: options.title,
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
