import samlify from 'samlify';
import { checkSignature, checkWellFormed } from '../../src/federation/saml/acs-checks.js';
import {
  assertionOf,
  disposeAcsState,
  type AcsContext,
  type AcsState,
} from '../../src/federation/saml/acs-context.js';
import { checkPostSignature } from '../../src/federation/saml/logout-messages.js';
import {
  buildEntities,
  type SamlConnectionConfig,
  type SpEndpoints,
} from '../../src/federation/saml/saml-entities.js';
import { parseStrict } from '../../src/federation/saml/xml-tree.js';
import type { KeyPair } from './saml-idp.js';
import { decryptsFirst, samlifyResult, xmlCryptoVerify } from './xml-crypto-reference.js';

/**
 * The two verdicts of the differential test on one message, computable in any thread from
 * a plain description of the messages' connections (the test spreads its corpus over
 * worker threads): the strict verifier as the ACS (checkWellFormed, checkSignature) or the
 * SLO (checkPostSignature) runs it, and samlify's verifySignature logic over xml-crypto.
 */

/** Everything a thread needs to judge the corpus: plain data only. */
export interface DifferentialSetup {
  endpoints: SpEndpoints;
  /** The SP's key: the encrypted kinds are encrypted to its certificate. */
  spKeys: KeyPair;
  connections: Array<SamlConnectionConfig & { allowIdpInitiated: boolean }>;
  bases: BaseMessage[];
}

export interface BaseMessage {
  name: string;
  kind: 'response' | 'logout';
  xml: string;
  connection: number;
}

export interface Verdict {
  accepted: boolean;
  nameId?: string | null;
  reason?: string;
}

export interface Judgement {
  strict: Verdict;
  reference: Verdict;
  strictMs: number;
  referenceMs: number;
}

const unused = () => Promise.reject(new Error('not used by the signature checks'));

/** The ACS context of each connection of the setup (only what the signature checks use). */
export function contextsOf(setup: DifferentialSetup): AcsContext[] {
  return setup.connections.map((connection) => ({
    connection,
    endpoints: setup.endpoints,
    entities: buildEntities(connection, setup.endpoints, { current: setup.spKeys, next: null }),
    nowMs: Date.now(),
    skewMs: 60_000,
    consumeRequest: unused,
    claimAssertion: unused,
  }));
}

const message = { samlResponse: '', relayState: null };

async function strictVerdict(base: BaseMessage, ctx: AcsContext, xml: string): Promise<Verdict> {
  if (base.kind === 'logout') {
    let document;
    try {
      document = parseStrict(xml);
    } catch {
      return { accepted: false, reason: 'malformed' };
    }
    try {
      checkPostSignature(document, document.root, ctx.entities);
      return { accepted: true };
    } catch (error) {
      return { accepted: false, reason: (error as { code: string }).code };
    } finally {
      document.dispose();
    }
  }
  const state: AcsState = { xml };
  try {
    await checkWellFormed(message, state);
    await checkSignature(message, state, ctx);
    return { accepted: true, nameId: assertionOf(state).nameId };
  } catch (error) {
    return { accepted: false, reason: (error as { code?: string }).code ?? String(error) };
  } finally {
    disposeAcsState(state);
  }
}

/** What the ACS and the SLO did before: samlify's verifySignature over xml-crypto. */
async function referenceVerdict(
  base: BaseMessage,
  ctx: AcsContext,
  wire: string,
): Promise<Verdict> {
  let xml = wire;
  if (base.kind === 'response' && decryptsFirst(wire)) {
    try {
      [xml] = await samlify.SamlLib.decryptAssertion(ctx.entities.sp, wire);
    } catch {
      return { accepted: false };
    }
  }
  const signed = xmlCryptoVerify(xml, ctx.connection.idpCertificates);
  if (signed === null) return { accepted: false };
  return base.kind === 'response' ? samlifyResult(signed) : { accepted: true };
}

/** Both verdicts on one message, timed; library chatter on the console is kept out. */
export async function judge(base: BaseMessage, ctx: AcsContext, xml: string): Promise<Judgement> {
  const quiet = console.error;
  console.error = () => undefined; // samlify's decryption logs every failure
  try {
    const t0 = performance.now();
    const strict = await strictVerdict(base, ctx, xml);
    const t1 = performance.now();
    const reference = await referenceVerdict(base, ctx, xml);
    return { strict, reference, strictMs: t1 - t0, referenceMs: performance.now() - t1 };
  } finally {
    console.error = quiet;
  }
}
