import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeJwt } from 'jose';

import { artifact } from '../support/browser.js';
import {
  APP_RECEIVED,
  authorizeUrl,
  signInAtDevIdp,
  startAppReceiver,
  type AppReceiver,
} from '../support/browser-app.js';
import { startDemoInBrowser } from '../support/demo-browser.js';
import type { LiveApp } from '../support/live.js';
import { CONTEXT, PLATFORM } from '../support/oauth.js';
import { CORE_USER, ENTERPRISE_USER, PATCH_OP, SCIM_JSON } from '../support/scim.js';

/**
 * Issue 17 end to end in Debian's Chromium, with the development OIDC IdP and nothing
 * stubbed: Entra ID (its documented payloads) provisions alice; she signs in through SSO
 * and is that same user; an app holds her tokens; Okta-style group push adds her to a
 * mapped group and the app's next token carries the role; Entra ID deactivates her — her browser
 * session and the app's refresh token are dead at the SCIM answer, and her next sign-in
 * is refused; reactivated, she signs in again.
 */
describe('SCIM lifecycle in a real browser', () => {
  let t: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof startDemoInBrowser>>;
  let scimBase: string;
  let scimToken: string;
  let app: { id: string; secret: string };
  let receiver: AppReceiver;
  const verifier = randomUUID() + randomUUID();

  const scim = (method: string, path: string, body?: unknown) =>
    fetch(`${scimBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': SCIM_JSON },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** Entra ID's PATCH of `active`, with its capitalised op and string boolean. */
  const entraActive = (value: 'True' | 'False') => ({
    schemas: [PATCH_OP],
    Operations: [{ op: 'Replace', path: 'active', value }],
  });

  const token = (fields: Record<string, string>) =>
    fetch(`${t.issuer}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${app.id}:${app.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams(fields).toString(),
    });

  /** The app sends the browser to authorize for alice; she signs in at her IdP. */
  const signInThroughApp = async (page: Page) => {
    receiver.reset();
    await page.goto(
      authorizeUrl(t.issuer, {
        clientId: app.id,
        redirectUri: receiver.redirectUri,
        scope: 'openid email offline_access',
        state: 'st',
        verifier,
        loginHint: 'alice@acme.test',
      }),
    );
    await signInAtDevIdp(page, 'alice@acme.test', 'any password');
  };

  before(async () => {
    world = await startDemoInBrowser({ LATCHKEY_DEMO_OIDC_IDP_PORT: '0' });
    ({ t, browser } = world);
    const { rows } = await t.app.db.query<{ id: string }>(
      `SELECT id FROM orgs WHERE slug = 'acme'`,
    );
    const orgId = rows[0]!.id;
    const directory = await t.app.directories.create(
      orgId,
      { name: 'Entra ID', role_mapping: { 'Ads Admins': 'ads.admin' } },
      PLATFORM,
      CONTEXT,
    );
    scimToken = (await t.app.directories.issueToken(orgId, directory.id, PLATFORM, CONTEXT)).secret;
    scimBase = `${t.issuer}/scim/v2/${directory.id}`;
    receiver = await startAppReceiver();
    const created = await t.app.clients.create(
      {
        name: 'Ads console',
        type: 'confidential',
        redirect_uris: [receiver.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        allowed_scopes: ['openid', 'email', 'offline_access'],
      },
      PLATFORM,
      CONTEXT,
    );
    app = { id: created.client.id, secret: created.secret! };
  });
  after(async () => {
    await receiver?.close();
    await world?.close();
  });

  it('when Entra ID provisions alice, she signs in as that user; deactivated, her session and refresh token die at once and she cannot sign in; reactivated, she can', async () => {
    // Entra ID: the probe for an existing user, then the create.
    const probe = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "alice@acme.test"')}`,
    );
    assert.equal(((await probe.json()) as { totalResults: number }).totalResults, 0);
    const createdRes = await scim('POST', '/Users', {
      schemas: [CORE_USER, ENTERPRISE_USER],
      externalId: randomUUID(),
      userName: 'alice@acme.test',
      active: true,
      displayName: 'Alice Martin',
      emails: [{ primary: true, type: 'work', value: 'alice@acme.test' }],
      name: { formatted: 'Alice Martin', familyName: 'Martin', givenName: 'Alice' },
      [ENTERPRISE_USER]: { department: 'Ads' },
    });
    assert.equal(createdRes.status, 201, await createdRes.clone().text());
    const { id: userId } = (await createdRes.json()) as { id: string };

    // SSO through the development IdP: the same Latchkey user, and the app's tokens.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughApp(page);
    await page.getByText(APP_RECEIVED).waitFor();
    const code = receiver.received()?.searchParams.get('code');
    assert.ok(code, 'the app received a code');
    const exchanged = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: receiver.redirectUri,
      code_verifier: verifier,
    });
    assert.equal(exchanged.status, 200, await exchanged.clone().text());
    const tokens = (await exchanged.json()) as {
      id_token: string;
      access_token: string;
      refresh_token: string;
    };
    assert.equal(decodeJwt(tokens.id_token).sub, userId, 'the SSO sign-in is the provisioned user');
    // The directory maps roles: the IdP's group claims (ads-managers) do not give any.
    assert.deepEqual(decodeJwt(tokens.access_token).roles, []);
    await page.goto(`${t.issuer}/account`);
    await page.getByRole('heading', { name: 'Signed in as Alice Martin' }).waitFor();
    await page.screenshot({ path: artifact('scim-lifecycle-1-signed-in.png'), fullPage: true });

    // Okta pushes the group and adds her (its documented PATCH): her next token has the role.
    const groupRes = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Ads Admins',
      members: [],
    });
    assert.equal(groupRes.status, 201, await groupRes.clone().text());
    const { id: groupId } = (await groupRes.json()) as { id: string };
    const joined = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }],
    });
    assert.ok([200, 204].includes(joined.status), await joined.clone().text());
    const rotated = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    assert.equal(rotated.status, 200, await rotated.clone().text());
    const next = (await rotated.json()) as { access_token: string; refresh_token: string };
    assert.deepEqual(decodeJwt(next.access_token).roles, ['ads.admin'], 'the next token');

    // Entra ID deactivates her: by the SCIM answer, everything is dead.
    const deactivated = await scim('PATCH', `/Users/${userId}`, entraActive('False'));
    assert.equal(deactivated.status, 200, await deactivated.clone().text());
    await page.goto(`${t.issuer}/account`);
    await page.getByLabel('Work email').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login', 'the browser session is gone');
    await page.screenshot({ path: artifact('scim-lifecycle-2-deactivated.png'), fullPage: true });
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: next.refresh_token,
    });
    assert.equal(refreshed.status, 400);
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
    // A new browser (no session at the IdP either): the IdP signs her in, Latchkey refuses.
    const refusedPage = await (await browser.newContext()).newPage();
    await signInThroughApp(refusedPage);
    await refusedPage.getByText('user_deactivated').waitFor();
    assert.equal(receiver.received(), null, 'the app received no code');
    await refusedPage.screenshot({
      path: artifact('scim-lifecycle-3-refused.png'),
      fullPage: true,
    });

    // Reactivated: she signs in again, as the same user.
    const reactivated = await scim('PATCH', `/Users/${userId}`, entraActive('True'));
    assert.equal(reactivated.status, 200, await reactivated.clone().text());
    const againPage = await (await browser.newContext()).newPage();
    await signInThroughApp(againPage);
    await againPage.getByText(APP_RECEIVED).waitFor();
    const again = await token({
      grant_type: 'authorization_code',
      code: receiver.received()?.searchParams.get('code') ?? '',
      redirect_uri: receiver.redirectUri,
      code_verifier: verifier,
    });
    assert.equal(again.status, 200, await again.clone().text());
    const idToken = ((await again.json()) as { id_token: string }).id_token;
    assert.equal(decodeJwt(idToken).sub, userId);
    await context.close();
  });
});
