import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { before, describe, it } from 'node:test';
import samlify from 'samlify';
import { buildEntities } from '../../src/federation/saml/saml-entities.js';
import { createAcsHarness, endpoints, REQUEST_ID } from '../support/saml-acs-harness.js';
import { samlKeyPair, type KeyPair, type ResponseOptions } from '../support/saml-idp.js';
import { logoutIdp } from '../support/saml-logout-idp.js';
import { mutate, prng } from '../support/saml-mutations.js';
import {
  contextsOf,
  judge,
  type BaseMessage,
  type DifferentialSetup,
  type Judgement,
} from '../support/saml-verdicts.js';
import { decode, stripKeyInfo, stripSignatures } from '../support/saml-xml.js';
import { decryptsFirst, xmlCryptoVerify } from '../support/xml-crypto-reference.js';
import {
  childElements,
  childNamed,
  DS,
  exclusiveC14n,
  parseStrict,
} from '../../src/federation/saml/xml-tree.js';

/**
 * The strict verifier (src/federation/saml/xml-signature.ts, through the ACS's signature
 * checks and the SLO's POST signature check) beside what it replaced: samlify's
 * verifySignature logic over xml-crypto, called directly (no HTTP; see
 * test/support/xml-crypto-reference.ts). Every kind of message the tests' IdP signs, and a
 * corpus of distinct seeded mutations of them (flipped characters and bytes, elements
 * moved, duplicated and wrapped — the XSW 1–8 shapes among them — comments in values,
 * namespace games, duplicated IDs, algorithm and reference edits, rewritings
 * canonicalization undoes), go through both. They must agree on every genuine message;
 * where they differ, the strict verifier must be the one that refuses; where both accept,
 * both read the same NameID. The corpus is judged on worker threads (one a core, two at
 * most): xml-crypto's XPath scans make the reference the slow side.
 */

const CORPUS = Number(process.env.SAML_DIFFERENTIAL_CORPUS ?? 10_000);
const SEED = 0x5a41; // change it to explore; a failure names the attempt of its case
const BATCH = 200;

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

/** Every kind of message the tests' IdP signs, and the connections that trust it. */
async function differentialSetup(): Promise<DifferentialSetup> {
  const h = createAcsHarness();
  const spKeys = samlKeyPair('SP');
  const next = samlKeyPair('Test IdP signing (next)');
  const connections = [
    h.config,
    { ...h.config, idpCertificates: [h.idp.keys.certificatePem, next.certificatePem] },
  ];
  const sp = buildEntities(h.config, endpoints, { current: spKeys, next: null }).sp;
  const target = {
    entityId: endpoints.entityId,
    acsUrl: endpoints.acsUrl,
    metadataXml: sp.getMetadata(),
  };
  const respond = async (o: Partial<ResponseOptions> = {}) =>
    decode(
      await h.idp.respond(target, { nameId: 'mallory@acme.test', inResponseTo: REQUEST_ID, ...o }),
    );
  const bases: BaseMessage[] = [];
  const add = (name: string, xml: string, extra: Partial<BaseMessage> = {}) =>
    bases.push({ name, kind: 'response', xml, connection: 0, ...extra });
  add('response and assertion signed', await respond());
  add('response signed only', await respond({ sign: { response: true, assertion: false } }));
  add('assertion signed only', await respond({ sign: { response: false, assertion: true } }));
  add(
    'attributes with markup and non-ASCII text',
    await respond({
      nameId: 'zoë.østergård@acme.test',
      attributes: { groups: ['a&b', '<admins>', '"quoted"', 'ünïcödé 😀'], email: 'z@acme.test' },
    }),
  );
  add('encrypted, response signed', await respond({ encrypt: true }));
  add(
    'encrypted, response unsigned',
    await respond({ encrypt: true, sign: { response: false, assertion: true } }),
  );
  add(
    'signed with the next certificate, no KeyInfo',
    stripKeyInfo(await respond({ signWith: next })),
    { connection: 1 },
  );
  const unsigned = stripSignatures(await respond({ sign: { response: false, assertion: false } }));
  const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
  const RSA_PSS = 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1';
  add('RSA-SHA512, default-namespace signatures', resigned(unsigned, h.idp.keys, RSA_SHA512, ''));
  add('RSA-PSS (SHA-256, MGF1)', resigned(unsigned, h.idp.keys, RSA_PSS, 'ds'));
  const slo = logoutIdp(h.idp);
  const logout = (name: string, xml: string) =>
    bases.push({ name, kind: 'logout', xml, connection: 0 });
  logout(
    'LogoutRequest (POST)',
    decode(
      slo.requestPost(endpoints.sloUrl, { nameId: 'mallory@acme.test', sessionIndex: '_s1' })
        .samlRequest,
    ),
  );
  logout(
    'LogoutResponse (POST)',
    decode(slo.responsePost(endpoints.sloUrl, { inResponseTo: '_request-1' })),
  );
  return { endpoints, spKeys, connections, bases };
}

/**
 * The corpus: distinct mutations (one, or two chained), of bases picked with weights — the
 * kinds whose every check costs a private-key decryption or a second certificate take a
 * smaller share (a mutated ciphertext says little about the signature).
 */
function corpusOf(bases: BaseMessage[]): Array<{ base: number; family: string; xml: string }> {
  const weighted = bases.flatMap((base, index) =>
    Array<number>(/encrypted|next certificate/.test(base.name) ? 1 : 4).fill(index),
  );
  const r = prng(SEED);
  const seen = new Set(bases.map((b) => b.xml));
  const corpus: Array<{ base: number; family: string; xml: string }> = [];
  for (let attempt = 0; corpus.length < CORPUS && attempt < CORPUS * 10; attempt++) {
    const base = r.pick(weighted);
    let mutated = mutate(bases[base]!.xml, r);
    if (mutated && r.next() < 0.25) {
      const again = mutate(mutated.xml, r);
      if (again) mutated = { family: `${mutated.family}+${again.family}`, xml: again.xml };
    }
    if (!mutated || seen.has(mutated.xml)) continue;
    seen.add(mutated.xml);
    corpus.push({ base, ...mutated });
  }
  return corpus;
}

/** Judges the corpus on worker threads (in this thread when there is a single core). */
async function judgeAll(
  setup: DifferentialSetup,
  items: Array<[number, string]>,
): Promise<Judgement[]> {
  const threads = Math.min(2, availableParallelism());
  if (threads < 2) {
    const contexts = contextsOf(setup);
    const out: Judgement[] = [];
    for (const [index, xml] of items) {
      const base = setup.bases[index]!;
      out.push(await judge(base, contexts[base.connection]!, xml));
    }
    return out;
  }
  const entry = new URL('../support/saml-verdict-worker.ts', import.meta.url).href;
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL('../support/typescript-worker.mjs', import.meta.url), {
        workerData: { entry, setup },
      }),
  );
  const results: Judgement[][] = [];
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              const id = next++;
              const start = id * BATCH;
              if (start >= items.length) return resolve();
              worker.postMessage({ id, items: items.slice(start, start + BATCH) });
            };
            worker.on('message', (batch: { id: number; results: Judgement[] }) => {
              results[batch.id] = batch.results;
              send();
            });
            worker.once('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.flat();
}

describe('the strict SAML signature verifier beside samlify/xml-crypto (differential)', () => {
  let setup: DifferentialSetup;

  before(async () => {
    setup = await differentialSetup();
  });

  it('when every kind of genuine message is verified, then both accept it and read the same NameID', async () => {
    const contexts = contextsOf(setup);
    for (const base of setup.bases) {
      const { strict, reference } = await judge(base, contexts[base.connection]!, base.xml);
      assert.equal(strict.accepted, true, `${base.name}: strict refused (${strict.reason})`);
      assert.equal(reference.accepted, true, `${base.name}: reference refused`);
      if (reference.nameId !== undefined) assert.equal(strict.nameId, reference.nameId, base.name);
    }
  });

  it("when a genuine message's signed element is canonicalized, then libxml2's exclusive C14N gives xml-crypto's octets exactly", () => {
    for (const base of setup.bases) {
      if (decryptsFirst(base.xml)) continue; // the clear text is canonicalized alone
      const { idpCertificates } = setup.connections[base.connection]!;
      const reference = xmlCryptoVerify(base.xml, idpCertificates);
      assert.ok(reference, base.name);
      const document = parseStrict(base.xml);
      try {
        // The element xml-crypto verified (the root, or the assertion when the root has no
        // signature or its digest does not match, as with KeyInfo stripped from both).
        const root = document.root;
        const verified = /^<(?:[\w.-]+:)?([\w.-]+)/.exec(reference)![1];
        const signed =
          verified === root.name ? root : childElements(root).find((c) => c.name === verified)!;
        childNamed(signed, DS, 'Signature')!.remove();
        const octets = exclusiveC14n(document, signed, {
          withComments: false,
          inclusivePrefixes: [],
        });
        assert.equal(octets.toString('utf8'), reference, base.name);
      } finally {
        document.dispose();
      }
    }
  });

  it(`when ${CORPUS} distinct seeded mutations are verified, then wherever the two differ the strict verifier is the one that refuses`, async () => {
    const started = performance.now();
    const corpus = corpusOf(setup.bases);
    const judged = await judgeAll(
      setup,
      corpus.map((c) => [c.base, c.xml]),
    );
    const seconds = (performance.now() - started) / 1000;
    const tally = { strictRefused: 0, referenceRefused: 0, bothAccepted: 0, strictOnly: 0 };
    const cpu = { strict: 0, reference: 0 };
    const byFamily: Record<string, { total: number; strictOnly: number; bothAccepted: number }> =
      {};
    const unsafe: string[] = [];
    const misread: string[] = [];
    judged.forEach(({ strict, reference, strictMs, referenceMs }, i) => {
      const { base, family, xml } = corpus[i]!;
      const what = `${setup.bases[base]!.name} / ${family} (corpus item ${i})`;
      const f = (byFamily[family.split('+')[0]!] ??= { total: 0, strictOnly: 0, bothAccepted: 0 });
      f.total += 1;
      cpu.strict += strictMs;
      cpu.reference += referenceMs;
      if (!strict.accepted) tally.strictRefused += 1;
      if (!reference.accepted) tally.referenceRefused += 1;
      if (strict.accepted && !reference.accepted) {
        unsafe.push(what);
        if (process.env.SAML_DIFFERENTIAL_DUMP)
          writeFileSync(`${process.env.SAML_DIFFERENTIAL_DUMP}/unsafe-${i}.xml`, xml);
      }
      if (!strict.accepted && reference.accepted) {
        tally.strictOnly += 1;
        f.strictOnly += 1;
      }
      if (strict.accepted && reference.accepted) {
        tally.bothAccepted += 1;
        f.bothAccepted += 1;
        if (reference.nameId !== undefined && strict.nameId !== reference.nameId)
          misread.push(`${what}: ${strict.nameId} ≠ ${reference.nameId}`);
      }
    });
    console.log(
      `differential: ${corpus.length} distinct mutations of ${setup.bases.length} messages in ` +
        `${seconds.toFixed(1)} s (verdict time: strict ${(cpu.strict / 1000).toFixed(1)} s, ` +
        `samlify/xml-crypto ${(cpu.reference / 1000).toFixed(1)} s); refused by the strict ` +
        `verifier ${tally.strictRefused}, by samlify/xml-crypto ${tally.referenceRefused}; both ` +
        `accepted ${tally.bothAccepted}; refused by the strict verifier only ${tally.strictOnly}; ` +
        `by family ${JSON.stringify(byFamily)}`,
    );
    assert.ok(corpus.length >= CORPUS, `only ${corpus.length} distinct mutations`);
    assert.equal(judged.length, corpus.length);
    assert.deepEqual(unsafe, [], 'accepted by the strict verifier, refused by samlify/xml-crypto');
    assert.deepEqual(misread, [], 'both accepted, but the strict verifier read another NameID');
    // The corpus exercises acceptance too: canonicalization-neutral edits pass both.
    assert.ok(tally.bothAccepted > 0);
  });
});
