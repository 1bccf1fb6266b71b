import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionCookie } from '../../src/sessions/session-cookie.js';

describe('the session cookie name (OWASP ASVS 3.4.4)', () => {
  it('when the issuer is https, then the default is __Host-latchkey, Secure, HttpOnly, SameSite=Lax, Path=/', () => {
    assert.deepEqual(sessionCookie('https://id.example.com', ''), {
      name: '__Host-latchkey',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
    assert.equal(sessionCookie('https://id.example.com', '__Host-sso').name, '__Host-sso');
  });

  it('when the issuer is https and the configured name lacks the __Host- prefix, then Latchkey refuses to start', () => {
    for (const name of ['latchkey', '__Secure-latchkey', 'host-latchkey']) {
      assert.throws(() => sessionCookie('https://id.example.com', name), /__Host-/, name);
    }
  });

  it('when the issuer is plain http (development), then a __Host- name is refused and a plain one is not Secure', () => {
    assert.throws(() => sessionCookie('http://localhost:3000', '__Host-latchkey'), /https/);
    assert.equal(sessionCookie('http://localhost:3000', '').name, 'latchkey');
    assert.equal(sessionCookie('http://localhost:3000', 'dev').options.secure, false);
  });
});
