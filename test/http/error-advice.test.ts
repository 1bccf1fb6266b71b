import assert from 'node:assert/strict';
import { it } from 'node:test';
import { adviceFor } from '../../src/http/views/error-advice.js';
import { translatorFor } from '../../src/http/i18n/translator.js';
import type { Locale } from '../../src/platform/locales.js';

it('when a failure has a reason code, then the page says what happened and what to do in plain words, never the code itself', () => {
  const say = (locale: Locale, key: Parameters<ReturnType<typeof translatorFor>['t']>[0]) =>
    translatorFor(locale).t(key);
  for (const code of [
    'idp_unreachable',
    'email_domain_not_allowed',
    'transaction_not_found',
    'saml_signature_invalid',
    'id_token_expired',
    'issuer_mismatch',
    'idp_interaction_required',
    'user_deactivated',
    'csrf_failed',
  ]) {
    const advice = adviceFor(code);
    assert.ok(advice?.todo, code);
    for (const locale of ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const) {
      for (const key of [advice.happened, advice.todo]) {
        const text = say(locale, key);
        assert.doesNotMatch(text, /[a-z]+_[a-z]+/, `${code}: no code in "${text}"`);
        assert.match(text, /[.。]$/, `${locale} ${code}: a sentence`);
      }
    }
  }
  assert.match(say('en', adviceFor('idp_unreachable')!.todo!), /Try again in a few minutes/);
  assert.match(say('en', adviceFor('email_domain_not_allowed')!.todo!), /work email/);
  assert.match(say('en', adviceFor('transaction_not_found')!.todo!), /Start again/);
  assert.match(say('de', adviceFor('transaction_not_found')!.todo!), /Anmeldeseite/);
  assert.equal(adviceFor('something_unheard_of'), null, 'unknown: the generic advice');
});
