import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { CodeRecord, RefreshRecord } from '../../src/tokens/grant-store.js';
import {
  authorizationCodeChecks,
  checkCodeClient,
  checkCodeRedirectUri,
  checkPkceVerifier,
  type CodeExchange,
} from '../../src/tokens/grants/authorization_code.js';
import {
  checkConfidentialClient,
  clientCredentialsChecks,
} from '../../src/tokens/grants/client_credentials.js';
import { firstRefusal, type GrantCheck } from '../../src/tokens/grants/grant.js';
import { GRANTS, GRANT_TYPES, isGrantType } from '../../src/tokens/grants/index.js';
import {
  checkRefreshClient,
  checkScopeNotWidened,
  refreshTokenChecks,
  type RefreshPresentation,
} from '../../src/tokens/grants/refresh_token.js';
import { discoveryDocument } from '../../src/tokens/index.js';
import { s256 } from '../../src/tokens/params.js';
import type { TokenRevocation } from '../../src/tokens/ports.js';
import { createFakeProvider, type FakeProvider, testClient } from '../support/provider-context.js';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const base = {
  clientId: 'lkc_test',
  orgId: 'org-1',
  userId: 'user-1',
  sessionId: 'sid-1',
  scope: ['openid', 'email'],
  audience: ['https://ads-api.example'],
  authTime: 0,
  amr: ['pwd'],
};
const codeRecord: CodeRecord = {
  ...base,
  redirectUri: 'https://ads.example/callback',
  codeChallenge: s256(VERIFIER),
  nonce: null,
};
const refreshRecord: RefreshRecord = { ...base, familyId: 'family-1' };

describe('the grant registry', () => {
  it('when the registry is read, then its keys are the grant types, in this order', () => {
    assert.deepEqual(GRANT_TYPES, ['authorization_code', 'refresh_token', 'client_credentials']);
    assert.deepEqual(GRANT_TYPES, Object.keys(GRANTS));
  });

  it("when a grant_type is not a registry key (or is an object's own property name), then it is not a grant type", () => {
    for (const name of ['password', 'toString', '__proto__', 'constructor', '', undefined])
      assert.equal(isGrantType(name), false, String(name));
    for (const name of GRANT_TYPES) assert.equal(isGrantType(name), true, name);
  });

  it('when openapi.yaml describes the token endpoint and a client, then both grant_type enums are the registry keys', () => {
    const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, unknown> } }>>;
      components: { schemas: Record<string, { items: { enum: string[] } }> };
    };
    const tokenSchema = spec.paths['/oauth/token']!.post!.requestBody.content[
      'application/x-www-form-urlencoded'
    ] as { schema: { properties: { grant_type: { enum: string[] } } } };
    assert.deepEqual(tokenSchema.schema.properties.grant_type.enum, [...GRANT_TYPES]);
    assert.deepEqual(spec.components.schemas.ClientGrantTypes!.items.enum, [...GRANT_TYPES]);
  });

  it('when discovery is served, then grant_types_supported is the registry keys', () => {
    assert.deepEqual(discoveryDocument('https://latchkey.test', ['ES256']).grant_types_supported, [
      ...GRANT_TYPES,
    ]);
  });
});

describe("each grant's checks, one by one", () => {
  let p: FakeProvider;
  let revoked: TokenRevocation[];
  beforeEach(() => {
    p = createFakeProvider();
    revoked = [];
    p.ctx.revocations = {
      revoke: (list) => {
        revoked.push(...list);
        return Promise.resolve(true);
      },
      isAccessTokenRevoked: () => Promise.resolve(false),
      clientCutoffMs: () => Promise.resolve(null),
    };
  });

  const refusalOf = async <I>(checks: readonly GrantCheck<I>[], input: I) =>
    (await firstRefusal(checks, input, p.ctx))?.code ?? null;

  it('when the checks are listed, then each grant runs them in this order', () => {
    const names = (checks: readonly GrantCheck<never>[]) => checks.map((check) => check.name);
    assert.deepEqual(names(authorizationCodeChecks), [
      'checkCodeClient',
      'checkCodeRedirectUri',
      'checkPkceVerifier',
    ]);
    assert.deepEqual(names(refreshTokenChecks), ['checkRefreshClient', 'checkScopeNotWidened']);
    assert.deepEqual(names(clientCredentialsChecks), ['checkConfidentialClient']);
    for (const check of [
      ...authorizationCodeChecks,
      ...refreshTokenChecks,
      ...clientCredentialsChecks,
    ])
      assert.match(check.spec, /^RFC \d+ §/, `${check.name} cites its spec`);
  });

  const exchange = (overrides: Partial<CodeExchange> = {}): CodeExchange => ({
    record: codeRecord,
    client: testClient(),
    redirectUri: codeRecord.redirectUri,
    verifier: VERIFIER,
    ...overrides,
  });
  const codeCases: Array<[string, GrantCheck<CodeExchange>, Partial<CodeExchange>, string | null]> =
    [
      ['the code is redeemed by its client', checkCodeClient, {}, null],
      [
        'another client redeems the code',
        checkCodeClient,
        { client: testClient({ id: 'lkc_other' }) },
        'invalid_grant',
      ],
      ['redirect_uri is the request one', checkCodeRedirectUri, {}, null],
      [
        'redirect_uri differs',
        checkCodeRedirectUri,
        { redirectUri: 'https://ads.example/other' },
        'invalid_grant',
      ],
      ['the verifier hashes to the challenge', checkPkceVerifier, {}, null],
      [
        'the verifier is another one',
        checkPkceVerifier,
        { verifier: `${VERIFIER.slice(0, -1)}A` },
        'invalid_grant',
      ],
      ['the verifier is too short', checkPkceVerifier, { verifier: 'abc' }, 'invalid_grant'],
    ];
  for (const [when, check, overrides, expected] of codeCases) {
    it(`authorization_code ${check.name}: when ${when}, then ${expected ?? 'it passes'}`, async () => {
      assert.equal(await refusalOf([check], exchange(overrides)), expected);
    });
  }

  const presentation = (overrides: Partial<RefreshPresentation> = {}): RefreshPresentation => ({
    record: refreshRecord,
    client: testClient(),
    requestedScope: undefined,
    ...overrides,
  });
  it('refresh_token checkRefreshClient: when its client presents it, then it passes and nothing is revoked', async () => {
    assert.equal(await refusalOf([checkRefreshClient], presentation()), null);
    assert.deepEqual(revoked, []);
  });
  it("refresh_token checkRefreshClient: when another client presents it, then invalid_grant and the token's family is revoked durably", async () => {
    const refused = await refusalOf(
      [checkRefreshClient],
      presentation({ client: testClient({ id: 'lkc_other' }) }),
    );
    assert.equal(refused, 'invalid_grant');
    assert.equal(revoked.length, 1);
    assert.equal(revoked[0]!.kind, 'refresh_family');
    assert.equal(revoked[0]!.subject, 'family-1');
    assert.equal(revoked[0]!.reason, 'refresh_token_wrong_client');
  });
  for (const [requested, expected] of [
    [undefined, null],
    [['openid'], null],
    [['openid', 'email'], null],
    [['openid', 'profile'], 'invalid_scope'],
  ] as const) {
    it(`refresh_token checkScopeNotWidened: when ${requested ? requested.join(' ') : 'no scope'} is asked for, then ${expected ?? 'it passes'}`, async () => {
      const input = presentation(requested ? { requestedScope: [...requested] } : {});
      assert.equal(await refusalOf([checkScopeNotWidened], input), expected);
    });
  }

  it('client_credentials checkConfidentialClient: when a confidential client asks, then it passes; a public one, unauthorized_client', async () => {
    assert.equal(await refusalOf([checkConfidentialClient], testClient()), null);
    assert.equal(
      await refusalOf([checkConfidentialClient], testClient({ type: 'public' })),
      'unauthorized_client',
    );
  });
});
