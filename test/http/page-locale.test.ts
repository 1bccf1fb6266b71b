import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from 'express';
import request from 'supertest';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { errorStyle } from '../../src/http/error-renderer.js';
import { pageText } from '../../src/http/i18n/page-text.js';
import { localeRouter } from '../../src/http/pages/locale.routes.js';
import { loginPage } from '../../src/http/views/login-pages.js';
import { loadConfig } from '../../src/platform/config/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { createMetrics } from '../../src/metrics/index.js';
import { RateLimitedError } from '../../src/platform/rate-limit/index.js';
import { LogCapture } from '../support/app.js';

/** The page frame and the switcher, served as createHttpApp serves them, without stores. */
function pagesApp(env: Record<string, string> = {}) {
  const config = loadConfig({ env: { NODE_ENV: 'test', ...env } });
  const pages = Router();
  pages.get('/page', errorStyle('html'), (_req, res) => {
    res.type('html').send(loginPage(pageText(res), { returnTo: '/account' }));
  });
  pages.post('/login/throttled', errorStyle('html'), () => {
    throw new RateLimitedError({
      door: 'login',
      policy: 'login-ip',
      reason: 'ip',
      retryAfterMs: 61_000,
      rule: { points: 1, windowSeconds: 60 },
    });
  });
  return createHttpApp({
    config,
    logger: createLogger({ level: 'silent', destination: new LogCapture() }),
    metrics: createMetrics(),
    checks: [],
    rootRouters: [localeRouter({ secure: false }), pages],
  });
}

const langOf = (page: string) => /<html lang="([^"]+)" dir="([^"]+)"/.exec(page)?.slice(1);

describe('the language of the end-user pages', () => {
  const http = pagesApp();

  it('when a browser asks for German (Swiss), then the page is German, says so in lang and Content-Language, and varies on Accept-Language', async () => {
    const res = await request(http).get('/page').set('Accept-Language', 'de-CH, en;q=0.5');
    assert.deepEqual(langOf(res.text), ['de', 'ltr']);
    assert.match(res.text, /<h1>Bei Ihrem Arbeitsbereich anmelden<\/h1>/);
    assert.equal(res.headers['content-language'], 'de');
    assert.match(res.headers.vary ?? '', /Accept-Language/);
  });

  it('when a browser asks for Arabic, then the page is right-to-left', async () => {
    const res = await request(http).get('/page').set('Accept-Language', 'ar-EG');
    assert.deepEqual(langOf(res.text), ['ar', 'rtl']);
    assert.match(res.text, /سجّل الدخول إلى مساحة عملك/);
  });

  it('when the configured default is French, then a browser asking for nothing shipped gets French', async () => {
    const res = await request(pagesApp({ LATCHKEY_PAGES_DEFAULT_LOCALE: 'fr' }))
      .get('/page')
      .set('Accept-Language', 'zh-TW');
    assert.deepEqual(langOf(res.text), ['fr', 'ltr']);
  });

  it('when the configured default is not shipped, then the configuration is refused', () => {
    assert.throws(() =>
      loadConfig({ env: { NODE_ENV: 'test', LATCHKEY_PAGES_DEFAULT_LOCALE: 'xx' } }),
    );
  });

  it('when a page is shown, then the switcher links every language by its own name, back to this page, the current one marked', async () => {
    const res = await request(http).get('/page?x=1').set('Accept-Language', 'ja');
    for (const [lang, name] of [
      ['en', 'English'],
      ['de', 'Deutsch'],
      ['ar', 'العربية'],
    ]) {
      assert.match(
        res.text,
        new RegExp(
          `href="/locale\\?lang=${lang}&amp;return_to=%2Fpage%3Fx%3D1"\\s+lang="${lang}"\\s+hreflang="${lang}"[^>]*>${name}<`,
        ),
      );
    }
    assert.match(res.text, /lang="ja"\s+hreflang="ja"\s+aria-current="true"/);
  });

  it('when a language is chosen, then a Lax cookie keeps it, the browser goes back, and the cookie outranks Accept-Language', async () => {
    const res = await request(http).get('/locale?lang=ar&return_to=%2Fpage%3Fx%3D1');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/page?x=1');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^latchkey-locale=ar;/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    const page = await request(http)
      .get('/page')
      .set('Accept-Language', 'de')
      .set('Cookie', 'latchkey-locale=ar');
    assert.deepEqual(langOf(page.text), ['ar', 'rtl']);
  });

  it('when return_to points anywhere but a path of this origin, then the switcher goes to the sign-in page instead', async () => {
    for (const target of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
    ]) {
      const res = await request(http).get(
        `/locale?lang=de&return_to=${encodeURIComponent(target)}`,
      );
      assert.equal(res.status, 303, target);
      assert.equal(res.headers.location, '/login', target);
    }
  });

  it('when the language is not shipped, then 400 locale_unknown and no cookie', async () => {
    for (const lang of ['xx', 'de-CH', '', 'EN']) {
      const res = await request(http)
        .get(`/locale?lang=${lang}&return_to=%2Fpage`)
        .set('Accept-Language', 'de');
      assert.equal(res.status, 400, lang);
      assert.equal(res.headers['set-cookie'], undefined, lang);
      assert.match(res.text, /<code>locale_unknown<\/code>/);
      assert.deepEqual(
        langOf(res.text),
        ['de', 'ltr'],
        'the error page is in the browser’s language',
      );
    }
  });

  it('when the sign-in is throttled, then the 429 page says how long to wait in the person’s language, with its plural', async () => {
    const en = await request(http).post('/login/throttled');
    assert.match(en.text, /Too many sign-in attempts\. Please wait 2 minutes and try again\./);
    const ar = await request(http).post('/login/throttled').set('Accept-Language', 'ar');
    assert.equal(ar.status, 429);
    assert.match(ar.text, /<h1>محاولات كثيرة جداً<\/h1>/);
    assert.match(
      ar.text,
      /يُرجى الانتظار \u2068دقيقتين\u2069/,
      'the wait isolated from the sentence',
    );
    const de = await request(http).post('/login/throttled').set('Accept-Language', 'de');
    assert.match(de.text, /Bitte warten Sie 2 Minuten/);
  });
});
