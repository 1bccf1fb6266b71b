import { withHere, type PageText } from '../i18n/page-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { adviceFor, GENERIC_ADVICE } from './error-advice.js';
import { html } from './html.js';
import { layout, type OrgLook } from './layout.js';

/** The words of a 429 page: how long to wait (Retry-After), at the sign-in or elsewhere. */
export interface Throttled {
  retryAfterSeconds: number;
  signIn: boolean;
}

/**
 * The error page: what happened and what to do, in the person's language; the reason
 * code, the correlation id and (where the code has no advice of its own) the error's own
 * message under "Details for your IT team". Its URL may be a callback that does not show
 * it again, so the language switcher returns to the sign-in page.
 */
export function errorPage(
  text: PageText,
  options: {
    title: MessageKey;
    message: string;
    code: string;
    requestId: string;
    throttled?: Throttled | null;
    /** The org's look, where the failure is known to concern one (a login at its IdP). */
    look?: OrgLook | null;
  },
): string {
  const { t } = text;
  const own = adviceFor(options.code);
  const { throttled } = options;
  const chosen = own ?? GENERIC_ADVICE;
  const happened = throttled
    ? t(throttled.signIn ? 'advice.tooManySignIns' : 'advice.tooMany', {
        wait: text.wait(throttled.retryAfterSeconds),
      })
    : t(chosen.happened);
  const todo = throttled || !chosen.todo ? null : t(chosen.todo);
  return layout({
    text: withHere(text),
    title: t(options.title),
    look: options.look,
    body: html`<h1>${t(options.title)}</h1>
      <p class="lead">${happened}</p>
      ${todo ? html`<p>${todo}</p>` : ''}
      <section aria-labelledby="it-details">
        <h2 id="it-details">${t('error.itDetails')}</h2>
        <dl class="meta">
          <dt>${t('error.reason')}</dt>
          <dd><code>${options.code}</code></dd>
          ${
            own || throttled
              ? ''
              : html`<dt>${t('error.message')}</dt>
                  <dd lang="en" dir="ltr">${options.message}</dd>`
          }
          <dt>${t('error.correlationId')}</dt>
          <dd><code>${options.requestId}</code></dd>
        </dl>
        <p class="hint">${t('error.correlationHint')}</p>
      </section>
      <p><a class="button" href="/login">${t('error.backToSignIn')}</a></p>`,
  });
}
