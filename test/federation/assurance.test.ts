import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assuranceOf,
  LOA,
  meetsLevel,
  requiredLevel,
  valuesToRequest,
} from '../../src/federation/assurance.js';

const oidc = (acr: string | null, amr: string[]) => ({
  contexts: acr === null ? [] : [acr],
  methods: amr,
});
const saml = (classRef: string | null, authorities: string[] = []) => ({
  contexts: classRef === null ? [] : [classRef],
  methods: [],
  authorities,
});
const CLASSES = 'urn:oasis:names:tc:SAML:2.0:ac:classes:';

describe('normalised assurance (docs/assurance.md)', () => {
  it('when an IdP says what the defaults know, then it reads as that level, with RFC 8176 amr', () => {
    const cases: Array<[ReturnType<typeof oidc>, string | null, string[]]> = [
      [oidc(null, ['pwd']), LOA.pwd, ['pwd']],
      [oidc(null, ['pwd', 'mfa']), LOA.mfa, ['pwd', 'mfa']],
      // Two kinds of factor are multi-factor (RFC 8176 §2), "mfa" added.
      [oidc(null, ['pwd', 'otp']), LOA.mfa, ['pwd', 'otp', 'mfa']],
      // Two of one kind are not.
      [oidc(null, ['pwd', 'pin']), LOA.pwd, ['pwd', 'pin']],
      [oidc('urn:okta:loa:2fa:any', ['pwd']), LOA.mfa, ['pwd', 'mfa']],
      [oidc('urn:okta:loa:2fa:any:ifpossible', ['pwd']), LOA.pwd, ['pwd']],
      [oidc('phr', ['hwk']), LOA.phr, ['hwk', 'mfa']],
      [oidc(null, ['pwd', 'fido']), LOA.phr, ['pwd', 'fido', 'mfa']],
      [oidc(LOA.mfa, []), LOA.mfa, ['mfa']],
      // Google's OIDC says nothing: nothing proven, federated.
      [oidc(null, []), null, ['fed']],
      [saml(`${CLASSES}PasswordProtectedTransport`), LOA.pwd, ['pwd']],
      [saml('http://schemas.microsoft.com/claims/multipleauthn'), LOA.mfa, ['mfa']],
      [saml(`${CLASSES}unspecified`), null, ['fed']],
      [saml(null), null, ['fed']],
    ];
    for (const [proof, acr, amr] of cases) {
      assert.deepEqual(assuranceOf(proof), { acr, amr }, JSON.stringify(proof));
    }
  });

  it('when the connection maps a value, then its mapping wins over the default, and an authority can be mapped', () => {
    assert.equal(
      assuranceOf(saml(`${CLASSES}unspecified`), { [`${CLASSES}unspecified`]: LOA.mfa }).acr,
      LOA.mfa,
    );
    assert.equal(
      assuranceOf(oidc('urn:okta:loa:2fa:any', []), { 'urn:okta:loa:2fa:any': LOA.pwd }).acr,
      LOA.pwd,
    );
    assert.equal(
      assuranceOf(saml(null, ['https://mfa.example']), { 'https://mfa.example': LOA.mfa }).acr,
      LOA.mfa,
    );
  });

  it('when an org requires MFA or phishing resistance, then only that level or stronger meets it', () => {
    const mfa = requiredLevel({ requireMfa: true, requirePhishingResistant: false });
    const phr = requiredLevel({ requireMfa: false, requirePhishingResistant: true });
    assert.equal(requiredLevel({ requireMfa: false, requirePhishingResistant: false }), null);
    assert.equal(meetsLevel(null, null), true);
    assert.equal(meetsLevel(null, mfa), false);
    assert.equal(meetsLevel(LOA.pwd, mfa), false);
    assert.equal(meetsLevel(LOA.mfa, mfa), true);
    assert.equal(meetsLevel(LOA.phr, mfa), true);
    assert.equal(meetsLevel(LOA.mfa, phr), false);
  });

  it('when a level is required, then the values the connection names for it (or a stronger one) are asked, else none', () => {
    assert.deepEqual(valuesToRequest({ mfa: ['a'], phr: ['b'] }, LOA.mfa), ['a']);
    assert.deepEqual(valuesToRequest({ phr: ['b'] }, LOA.mfa), ['b']);
    assert.deepEqual(valuesToRequest({ mfa: ['a'] }, LOA.phr), []);
    assert.deepEqual(valuesToRequest({ mfa: ['a'] }, LOA.pwd), []);
    assert.deepEqual(valuesToRequest({ mfa: ['a'] }, null), []);
  });
});
