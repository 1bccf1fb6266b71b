import assert from 'node:assert/strict';
import { it } from 'node:test';
import { adviceFor } from '../../src/http/views/error-advice.js';

it('when a failure has a reason code, then the page says what happened and what to do in plain words, never the code itself', () => {
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
    assert.ok(advice, code);
    for (const text of [advice.happened, advice.todo]) {
      assert.doesNotMatch(text, /[a-z]+_[a-z]+/, `${code}: no code in "${text}"`);
      assert.match(text, /^[A-Z].*\.$/, `${code}: a sentence`);
    }
  }
  assert.match(adviceFor('idp_unreachable')!.todo, /Try again in a few minutes/);
  assert.match(adviceFor('email_domain_not_allowed')!.todo, /work email/);
  assert.match(adviceFor('transaction_not_found')!.todo, /Start again/);
  assert.equal(adviceFor('something_unheard_of'), null, 'unknown: the error’s own message');
});
