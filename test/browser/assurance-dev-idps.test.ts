import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { orgStore } from '../../src/orgs/index.js';
import {
  APP_RECEIVED,
  authorizeUrl,
  signInAtDevIdp,
  startAppReceiver,
} from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: null, userAgent: 'test' };

/**
 * An org that requires MFA (issue 19), against the development IdPs in Debian's Chromium:
 * acme over the dev OIDC IdP, globex over the dev SAML IdP, nothing stubbed. A connection
 * that asks its IdP nothing up front (its assurance request names no values) lets the
 * person sign in with a password only, which Latchkey refuses; the SAML IdP's one-time code
 * (chosen by the person, or asked because Latchkey's RequestedAuthnContext asks MFA) is
 * accepted, and the session and ID token say so; an IdP that cannot do what is asked
 * answers NoAuthnContext, which Latchkey shows with its own reason.
 */
describe('assurance through the development IdPs', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;

  before(async () => {
    world = await startDemoInBrowser({
      LATCHKEY_DEMO_OIDC_IDP_PORT: '0',
      LATCHKEY_DEMO_SAML_IDP_PORT: '0',
    });
    ({ t, browser } = world);
  });
  after(async () => {
    await world.close();
  });

  const orgOf = async (slug: string) => (await orgStore(t.app.db).getBySlug(slug))!;
  const connectionOf = async (orgId: string) =>
    (await t.app.connections.list(orgId, platform, { limit: 10, afterId: null })).items[0]!;
  /** The org's policy and its connection's assurance request, for one test, then put back. */
  const withPolicy = async (
    slug: string,
    settings: Record<string, boolean>,
    request: Record<string, unknown> | null,
    run: () => Promise<void>,
  ) => {
    const org = await orgOf(slug);
    const connection = await connectionOf(org.id);
    const before = connection.settings.assurance?.request ?? {};
    await t.app.orgs.update(org.id, { settings }, null, platform, ctx);
    if (request)
      await t.app.connections.update(
        org.id,
        connection.id,
        { assurance: { request } },
        null,
        platform,
        ctx,
      );
    try {
      await run();
    } finally {
      const off = Object.fromEntries(Object.keys(settings).map((k) => [k, false]));
      await t.app.orgs.update(org.id, { settings: off }, null, platform, ctx);
      if (request)
        await t.app.connections.update(
          org.id,
          connection.id,
          { assurance: { request: before } },
          null,
          platform,
          ctx,
        );
    }
  };
  const failures = async (orgId: string, reason: string) =>
    (
      await t.app.db.query(
        `SELECT 1 FROM audit_events WHERE type = 'auth.login.failed' AND reason = $1 AND org_id = $2`,
        [reason, orgId],
      )
    ).rows.length;
  const sessionCookie = async (context: BrowserContext) =>
    (await context.cookies(t.issuer)).find((c) => c.name === 'latchkey');

  /** From Latchkey's login page to the IdP's sign-in form. */
  const startAt = async (page: Page, email: string) => {
    await page.goto(`${t.issuer}/login`);
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').waitFor();
  };
  const enterCode = async (page: Page) => {
    await page.getByLabel('One-time code').fill('123456');
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  it('when acme requires MFA and its connection asks the dev OIDC IdP nothing up front, then alice’s password-only sign-in is refused with assurance_insufficient, audited, and no session opens', async () => {
    const org = await orgOf('acme');
    const audited = await failures(org.id, 'assurance_insufficient');
    await withPolicy('acme', { require_mfa: true }, {}, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await startAt(page, 'alice@acme.test');
      // No acr_values were sent: the IdP asks no code, and proves a password only.
      await signInAtDevIdp(page, 'alice@acme.test');
      await page.getByText('assurance_insufficient').waitFor();
      assert.equal(new URL(page.url()).origin, t.issuer);
      assert.equal(await sessionCookie(context), undefined);
      assert.equal(await failures(org.id, 'assurance_insufficient'), audited + 1);
      await context.close();
    });
  });

  it('when globex requires MFA and its connection asks the dev SAML IdP nothing up front, then carol’s password-only sign-in is refused with assurance_insufficient, audited; with the one-time code she chooses, she is signed in with acr …:mfa and amr mfa', async () => {
    const org = await orgOf('globex');
    const audited = await failures(org.id, 'assurance_insufficient');
    await withPolicy('globex', { require_mfa: true }, {}, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await startAt(page, 'carol@globex.test');
      await signInAtDevIdp(page, 'carol@globex.test');
      // Nothing asked: the IdP signs her in with her password (PasswordProtectedTransport).
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('assurance_insufficient').waitFor();
      assert.equal(await sessionCookie(context), undefined);
      assert.equal(await failures(org.id, 'assurance_insufficient'), audited + 1);

      await startAt(page, 'carol@globex.test');
      await page.getByLabel('Email').fill('carol@globex.test');
      await page.getByLabel('Password').fill('x');
      await page.getByRole('button', { name: 'Use a one-time code' }).click();
      await enterCode(page);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Signed in as Carol Diaz' }).waitFor();
      assert.equal(page.url(), `${t.issuer}/account`);
      const session = await t.app.sessions.validate((await sessionCookie(context))!.value);
      assert.equal(session?.acr, 'urn:latchkey:loa:mfa');
      assert.deepEqual(session?.amr, ['mfa']);
      await context.close();
    });
  });

  it('when globex requires MFA and its connection asks for it (as seeded), then the dev SAML IdP asks carol’s code at once and the app’s ID token and access token carry acr …:mfa and amr mfa', async () => {
    const receiver = await startAppReceiver();
    await withPolicy('globex', { require_mfa: true }, null, async () => {
      const client = (
        await t.app.clients.create(
          {
            name: 'Payouts',
            type: 'public',
            redirect_uris: [receiver.redirectUri],
            grant_types: ['authorization_code'],
          },
          platform,
          ctx,
        )
      ).client;
      const context = await browser.newContext();
      const page = await context.newPage();
      const request = {
        clientId: client.id,
        redirectUri: receiver.redirectUri,
        scope: 'openid email',
        state: 'payout',
        verifier: randomBytes(32).toString('base64url'),
        loginHint: 'carol@globex.test',
      };
      await page.goto(authorizeUrl(t.issuer, request));
      await page.getByText('a one-time code will be asked').waitFor();
      await signInAtDevIdp(page, 'carol@globex.test');
      await enterCode(page);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText(APP_RECEIVED).waitFor();
      const code = receiver.received()?.searchParams.get('code');
      assert.ok(code);
      const res = await fetch(`${t.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: receiver.redirectUri,
          client_id: client.id,
          code_verifier: request.verifier,
        }),
      });
      assert.equal(res.status, 200);
      const tokens = (await res.json()) as { id_token: string; access_token: string };
      for (const jwt of [tokens.id_token, tokens.access_token]) {
        const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
          acr?: string;
          amr?: string[];
        };
        assert.equal(claims.acr, 'urn:latchkey:loa:mfa');
        assert.deepEqual(claims.amr, ['mfa']);
      }
      await context.close();
    }).finally(() => receiver.close());
  });

  it('when globex requires a phishing-resistant sign-in and its connection asks for a smart card, then the dev SAML IdP answers NoAuthnContext and Latchkey refuses with saml_no_authn_context, audited', async () => {
    const org = await orgOf('globex');
    const audited = await failures(org.id, 'saml_no_authn_context');
    const smartcard = 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI';
    await withPolicy(
      'globex',
      { require_phishing_resistant: true },
      { phr: [smartcard] },
      async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${t.issuer}/login`);
        await page.getByLabel('Work email').fill('carol@globex.test');
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { name: 'This sign-in cannot be done here' }).waitFor();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByText('saml_no_authn_context').waitFor();
        assert.equal(new URL(page.url()).origin, t.issuer);
        assert.equal(await sessionCookie(context), undefined);
        assert.equal(await failures(org.id, 'saml_no_authn_context'), audited + 1);
        await context.close();
      },
    );
  });
});
