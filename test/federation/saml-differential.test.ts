import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import samlify from 'samlify';
import { checkSignature, checkWellFormed } from '../../src/federation/saml/acs-checks.js';
import {
  assertionOf,
  disposeAcsState,
  type AcsContext,
  type AcsState,
} from '../../src/federation/saml/acs-context.js';
import { checkPostSignature } from '../../src/federation/saml/logout-messages.js';
import { buildEntities } from '../../src/federation/saml/saml-entities.js';
import { parseStrict } from '../../src/federation/saml/xml-tree.js';
import { createAcsHarness, endpoints, type AcsHarness } from '../support/saml-acs-harness.js';
import { samlKeyPair, type KeyPair } from '../support/saml-idp.js';
import { logoutIdp } from '../support/saml-logout-idp.js';
import { elementsOf, mutate, prng } from '../support/saml-mutations.js';
import { decode, stripKeyInfo, stripSignatures } from '../support/saml-xml.js';
import { samlifyResult, xmlCryptoVerify } from '../support/xml-crypto-reference.js';

/**
 * The strict verifier (src/federation/saml/xml-signature.ts, through the ACS's signature
 * checks and the SLO's POST signature check) beside what it replaced: samlify's
 * verifySignature over xml-crypto, called directly (no HTTP). Every kind of message the
 * tests' IdP signs, and a corpus of seeded mutations of them (flipped characters and
 * bytes, elements moved, duplicated and wrapped — the XSW 1–8 shapes among them —
 * comments in values, namespace games, duplicated IDs, algorithm and reference edits,
 * rewritings canonicalization undoes), go through both. They must agree on every genuine
 * message; where they differ, the strict verifier must be the one that refuses.
 */

const CORPUS = Number(process.env.SAML_DIFFERENTIAL_CORPUS ?? 10_000);
const SEED = 0x5a41; // change it to explore; a failure names the seed of its case

type Kind = 'response' | 'logout';
interface Base {
  name: string;
  kind: Kind;
  xml: string;
  ctx: AcsContext;
  /** The assertion is encrypted and the Response unsigned: samlify decrypts first. */
  decryptFirst?: boolean;
}
interface Verdict {
  accepted: boolean;
  nameId?: string | null;
  reason?: string;
}

const message = { samlResponse: '', relayState: null };

/** The ACS's signature layer on its one libxml2 tree: parse, then checkSignature. */
async function strictVerdict(base: Base, xml: string): Promise<Verdict> {
  if (base.kind === 'logout') {
    let document;
    try {
      document = parseStrict(xml);
    } catch {
      return { accepted: false, reason: 'malformed' };
    }
    try {
      checkPostSignature(document, document.root, base.ctx.entities);
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
    await checkSignature(message, state, base.ctx);
    return { accepted: true, nameId: assertionOf(state).nameId };
  } catch (error) {
    return { accepted: false, reason: (error as { code?: string }).code ?? String(error) };
  } finally {
    disposeAcsState(state);
  }
}

/** What the ACS and the SLO did before: samlify's verifySignature over xml-crypto. */
async function referenceVerdict(base: Base, wire: string): Promise<Verdict> {
  let xml = wire;
  if (base.decryptFirst) {
    try {
      [xml] = await samlify.SamlLib.decryptAssertion(base.ctx.entities.sp, wire);
    } catch {
      return { accepted: false };
    }
  }
  const signed = xmlCryptoVerify(xml, base.ctx.connection.idpCertificates);
  if (signed === null) return { accepted: false };
  return base.kind === 'response' ? samlifyResult(signed) : { accepted: true };
}

/** An assertion, then its Response, signed by samlify's signer with another algorithm and layout. */
function resigned(xml: string, keys: KeyPair, algorithm: string, prefix: string): string {
  const body = keys.certificatePem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  const sign = (input: string, target: string) =>
    samlify.SamlLib.constructSAMLSignature({
      rawSamlMessage: input,
      referenceTagXPath: target,
      privateKey: keys.privateKeyPem,
      signingCert: body,
      signatureAlgorithm: algorithm,
      isBase64Output: false,
      signatureConfig: {
        prefix,
        location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
      },
    } as never);
  const response = "/*[local-name(.)='Response']";
  return sign(sign(xml, `${response}/*[local-name(.)='Assertion']`), response);
}

describe('the strict SAML signature verifier beside samlify/xml-crypto (differential)', () => {
  let h: AcsHarness;
  const bases: Base[] = [];

  before(async () => {
    h = createAcsHarness();
    const ctx = h.contextAt(Date.now());
    const next = samlKeyPair('Test IdP signing (next)');
    const rotationConfig = {
      ...h.config,
      idpCertificates: [h.idp.keys.certificatePem, next.certificatePem],
    };
    const rotationCtx = h.contextAt(Date.now(), {
      connection: rotationConfig,
      entities: buildEntities(rotationConfig, endpoints, {
        current: samlKeyPair('SP rotation'),
        next: null,
      }),
    });
    const add = (name: string, xml: string, extra: Partial<Base> = {}) =>
      bases.push({ name, kind: 'response', xml, ctx, ...extra });
    add('response and assertion signed', await h.respond());
    add('response signed only', await h.respond({ sign: { response: true, assertion: false } }));
    add('assertion signed only', await h.respond({ sign: { response: false, assertion: true } }));
    add(
      'attributes with markup and non-ASCII text',
      await h.respond({
        nameId: 'zoë.østergård@acme.test',
        attributes: { groups: ['a&b', '<admins>', '"quoted"', 'ünïcödé 😀'], email: 'z@acme.test' },
      }),
    );
    add('encrypted, response signed', await h.respond({ encrypt: true }));
    add(
      'encrypted, response unsigned',
      await h.respond({ encrypt: true, sign: { response: false, assertion: true } }),
      { decryptFirst: true },
    );
    add(
      'signed with the next certificate, no KeyInfo',
      stripKeyInfo(await h.respond({ signWith: next })),
      {
        ctx: rotationCtx,
      },
    );
    const unsigned = stripSignatures(
      await h.respond({ sign: { response: false, assertion: false } }),
    );
    add(
      'RSA-SHA512, default-namespace signatures',
      resigned(unsigned, h.idp.keys, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512', ''),
    );
    add(
      'RSA-PSS (SHA-256, MGF1)',
      resigned(
        unsigned,
        h.idp.keys,
        'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
        'ds',
      ),
    );
    const slo = logoutIdp(h.idp);
    bases.push({
      name: 'LogoutRequest (POST)',
      kind: 'logout',
      xml: decode(
        slo.requestPost(endpoints.sloUrl, { nameId: 'mallory@acme.test', sessionIndex: '_s1' })
          .samlRequest,
      ),
      ctx,
    });
    bases.push({
      name: 'LogoutResponse (POST)',
      kind: 'logout',
      xml: decode(slo.responsePost(endpoints.sloUrl, { inResponseTo: '_request-1' })),
      ctx,
    });
  });

  it('when every kind of genuine message is verified, then both accept it and read the same NameID', async () => {
    for (const base of bases) {
      const [strict, reference] = [
        await strictVerdict(base, base.xml),
        await referenceVerdict(base, base.xml),
      ];
      if (process.env.SAML_DIFFERENTIAL_DUMP)
        writeFileSync(
          `${process.env.SAML_DIFFERENTIAL_DUMP}/base-${bases.indexOf(base)}.xml`,
          base.xml,
        );
      assert.equal(strict.accepted, true, `${base.name}: strict refused (${strict.reason})`);
      assert.equal(reference.accepted, true, `${base.name}: reference refused`);
      if (reference.nameId !== undefined) assert.equal(strict.nameId, reference.nameId, base.name);
    }
  });

  /**
   * The bases, each listed as often as it is mutated: decryption costs both sides a
   * private-key operation and a parse of its own, and a mutated ciphertext says little
   * about the signature, so the encrypted kinds take a smaller share.
   */
  const weighted: Base[] = [];

  it(`when ${CORPUS} seeded mutations are verified, then wherever the two differ the strict verifier is the one that refuses`, async () => {
    for (const base of bases)
      weighted.push(...Array<Base>(/encrypted/.test(base.name) ? 1 : 4).fill(base));
    const started = performance.now();
    const r = prng(SEED);
    const tally = {
      total: 0,
      strictRefused: 0,
      referenceRefused: 0,
      bothAccepted: 0,
      strictOnly: 0,
    };
    const byFamily: Record<string, { total: number; strictOnly: number; bothAccepted: number }> =
      {};
    const unsafe: string[] = [];
    const timing = { strict: 0, reference: 0 };
    const misread: string[] = [];
    for (let attempt = 0; tally.total < CORPUS && attempt < CORPUS * 4; attempt++) {
      const base = r.pick(weighted);
      const seed = attempt;
      let mutated = mutate(base.xml, r);
      if (mutated && r.next() < 0.25) {
        const again = mutate(mutated.xml, r);
        if (again) mutated = { family: `${mutated.family}+${again.family}`, xml: again.xml };
      }
      if (!mutated) continue;
      tally.total += 1;
      const family = (byFamily[mutated.family.split('+')[0]!] ??= {
        total: 0,
        strictOnly: 0,
        bothAccepted: 0,
      });
      family.total += 1;
      const t0 = performance.now();
      const strict = await strictVerdict(base, mutated.xml);
      const t1 = performance.now();
      const reference = await referenceVerdict(base, mutated.xml);
      timing.strict += t1 - t0;
      timing.reference += performance.now() - t1;
      if (!strict.accepted) tally.strictRefused += 1;
      if (!reference.accepted) tally.referenceRefused += 1;
      if (strict.accepted && !reference.accepted) {
        unsafe.push(`${base.name} / ${mutated.family} (attempt ${seed})`);
        if (process.env.SAML_DIFFERENTIAL_DUMP)
          writeFileSync(`${process.env.SAML_DIFFERENTIAL_DUMP}/unsafe-${seed}.xml`, mutated.xml);
      }
      if (!strict.accepted && reference.accepted) {
        tally.strictOnly += 1;
        family.strictOnly += 1;
      }
      if (strict.accepted && reference.accepted) {
        tally.bothAccepted += 1;
        family.bothAccepted += 1;
        if (reference.nameId !== undefined && strict.nameId !== reference.nameId)
          misread.push(
            `${base.name} / ${mutated.family} (attempt ${seed}): ${strict.nameId} ≠ ${reference.nameId}`,
          );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `differential: ${tally.total} mutations of ${bases.length} messages in ${seconds.toFixed(1)} s; ` +
        `strict refused ${tally.strictRefused}, samlify/xml-crypto refused ${tally.referenceRefused}, ` +
        `both accepted ${tally.bothAccepted}, refused by the strict verifier only ${tally.strictOnly}; ` +
        `by family ${JSON.stringify(byFamily)}; ms strict ${timing.strict.toFixed(0)}, reference ${timing.reference.toFixed(0)}`,
    );
    assert.ok(tally.total >= CORPUS, `only ${tally.total} mutations applied`);
    assert.deepEqual(unsafe, [], 'accepted by the strict verifier, refused by samlify/xml-crypto');
    assert.deepEqual(misread, [], 'both accepted, but the strict verifier read another NameID');
    // The corpus exercises acceptance too: canonicalization-neutral edits pass both.
    assert.ok(tally.bothAccepted > 0);
    assert.ok(elementsOf(bases[0]!.xml));
  });
});
