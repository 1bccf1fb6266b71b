import { runAcsChecks, type AcsContext } from '../../src/federation/saml/acs-checks.js';
import {
  buildEntities,
  type SamlConnectionConfig,
} from '../../src/federation/saml/saml-entities.js';
import {
  createSamlTestIdp,
  samlKeyPair,
  type ResponseOptions,
  type SamlTestIdp,
  type SpTarget,
} from './saml-idp.js';
import { decode, encode } from './saml-xml.js';

/**
 * The ACS checks without a server: a samlify IdP signs responses for an SP built from a
 * connection's settings, and the checks run on them with a controlled clock, request
 * store and replay cache.
 */
export const SP = 'https://latchkey.test/saml/c0ffee00-0000-4000-8000-000000000001';
export const endpoints = { entityId: SP, acsUrl: `${SP}/acs`, sloUrl: `${SP}/slo` };
export const REQUEST_ID = '_request-1';
export const HANDLE = 'handle-of-the-login-transaction';

export interface AcsHarness {
  idp: SamlTestIdp;
  config: SamlConnectionConfig & { allowIdpInitiated: boolean };
  entities: ReturnType<typeof buildEntities>;
  target: SpTarget;
  /** A context whose one pending request is REQUEST_ID (usable once), with an empty replay cache. */
  contextAt(nowMs: number, overrides?: Partial<AcsContext>): AcsContext;
  /** A response the IdP signs to REQUEST_ID for mallory@acme.test, as XML. */
  respond(options?: Partial<ResponseOptions>): Promise<string>;
  /** Runs the whole list; the reason code it refuses with, or 'accepted'. */
  outcome(xml: string, ctx?: AcsContext, relayState?: string): Promise<string>;
}

/** Call in before(): it makes the IdP's and the SP's keys. */
export function createAcsHarness(): AcsHarness {
  const idp = createSamlTestIdp();
  const config = {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    version: 1,
    idpEntityId: idp.entityId,
    idpSsoUrl: idp.ssoUrl,
    idpSloUrl: null,
    idpCertificates: [idp.keys.certificatePem],
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    signRequests: true,
    wantAssertionsSigned: true,
    allowIdpInitiated: false,
  };
  const entities = buildEntities(config, endpoints, { current: samlKeyPair('SP'), next: null });
  const target = { entityId: SP, acsUrl: endpoints.acsUrl, metadataXml: entities.sp.getMetadata() };

  const contextAt = (nowMs: number, overrides: Partial<AcsContext> = {}): AcsContext => {
    const pending = new Map([[REQUEST_ID, HANDLE]]);
    const used = new Set<string>();
    const claimed = new Set<string>();
    return {
      connection: config,
      endpoints,
      entities,
      nowMs,
      skewMs: 60_000,
      consumeRequest: async (id) => {
        const handle = pending.get(id);
        pending.delete(id);
        if (handle) used.add(id);
        return Promise.resolve(
          handle
            ? { ok: true as const, handle }
            : {
                ok: false as const,
                reason: used.has(id) ? ('reused' as const) : ('unknown' as const),
              },
        );
      },
      claimAssertion: async (key) => {
        const first = !claimed.has(key);
        claimed.add(key);
        return Promise.resolve(first);
      },
      ...overrides,
    };
  };

  return {
    idp,
    config,
    entities,
    target,
    contextAt,
    respond: async (options = {}) =>
      decode(
        await idp.respond(target, {
          nameId: 'mallory@acme.test',
          inResponseTo: REQUEST_ID,
          ...options,
        }),
      ),
    async outcome(xml, ctx = contextAt(Date.now()), relayState = HANDLE) {
      try {
        await runAcsChecks({ samlResponse: encode(xml), relayState }, ctx);
        return 'accepted';
      } catch (error) {
        return (error as { code: string }).code;
      }
    },
  };
}
