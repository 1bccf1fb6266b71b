import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateLocale } from '../../src/http/i18n/negotiate.js';

const byHeader = (acceptLanguage: string | null, defaultLocale: 'en' | 'fr' = 'en') =>
  negotiateLocale({ acceptLanguage }, defaultLocale);

describe('the locale of a page, from the cookie and Accept-Language', () => {
  it('when the browser lists languages with q-values, then the most preferred shipped one wins, whatever the order written', () => {
    assert.equal(byHeader('fr;q=0.4, ja;q=0.9, de;q=0.7'), 'ja');
    assert.equal(byHeader('zh-CN, zh;q=0.9, es;q=0.8, en;q=0.5'), 'es');
    assert.equal(byHeader('de;q=0, fr'), 'fr', 'q=0 means not acceptable');
    assert.equal(byHeader('ar'), 'ar');
  });

  it('when the browser asks for a region, then its language serves it (de-CH → de, es-419 → es)', () => {
    assert.equal(byHeader('de-CH'), 'de');
    assert.equal(byHeader('es-419,es;q=0.9'), 'es');
    assert.equal(byHeader('FR-ca'), 'fr', 'tags are case-insensitive');
    assert.equal(byHeader('ar-EG, en;q=0.5'), 'ar');
  });

  it('when nothing the browser asks for is shipped, or it asks for nothing, then the default', () => {
    assert.equal(byHeader('zh-TW, ko;q=0.8'), 'en');
    assert.equal(byHeader('zh-TW', 'fr'), 'fr', 'the configured default');
    assert.equal(byHeader(null), 'en');
    assert.equal(byHeader(''), 'en');
    assert.equal(byHeader('*'), 'en');
    assert.equal(byHeader('not a language!!, ;;;q=x'), 'en', 'garbage is ignored, not an error');
    assert.equal(byHeader(`${'x-'.repeat(5000)}de`), 'en', 'an endless header is cut, not parsed');
  });

  it('when the switcher cookie names a shipped locale, then it wins over the header', () => {
    assert.equal(negotiateLocale({ cookie: 'ar', acceptLanguage: 'de-DE, de;q=0.9' }, 'en'), 'ar');
    assert.equal(negotiateLocale({ cookie: 'en', acceptLanguage: 'ja' }, 'fr'), 'en');
  });

  it('when the cookie names anything else, then it is ignored and the header decides', () => {
    for (const cookie of ['xx', 'de-CH', 'EN', '', '../../etc', 'ar;q=1']) {
      assert.equal(negotiateLocale({ cookie, acceptLanguage: 'ja, en;q=0.5' }, 'en'), 'ja', cookie);
    }
    assert.equal(negotiateLocale({ cookie: 'klingon', acceptLanguage: null }, 'en'), 'en');
  });
});
