/**
 * SAML ACS throughput on one core: signed Responses with signed assertions (RSA-SHA256),
 * each verified and put through every ACS check (schema, signatures against the
 * connection's certificate, audience, recipient, destination, time window, replay cache
 * in Redis) by the server pinned to CPU 0. The Responses are IdP-initiated (the bench
 * connection allows it), each with its own assertion id, all minted before the clock
 * starts by a samlify IdentityProvider (test/support/saml-idp.ts).
 *
 * Beside it, in the same run and on the load generator's core (CPU 1, idle once the load
 * has stopped), a reference verifier on the same responses: xml-crypto 6.3 alone, with the
 * key selection samlify gave it (test/support/xml-crypto-reference.ts), verifying both
 * signatures of each response as the ACS must — no HTTP, no other check. xml-crypto rather
 * than @node-saml/node-saml: it is the XML-DSig engine under samlify (what the ACS used
 * before), under node-saml and under BoxyHQ Jackson alike, it is already installed (the
 * differential test calls it), and alone it is a lower bound of those libraries' cost, so
 * the ratio flatters nobody but the reference. The in-process figure of Latchkey's own
 * signature layer (parse, schema, both signatures, the assertion read) is printed too.
 * Run: npm run build && npm run bench -- bench/saml-acs.bench.ts  (needs Postgres and Redis)
 */
import { cpus, loadavg } from 'node:os';
import {
  checkAssertionSigned,
  checkSchema,
  checkSignature,
  checkWellFormed,
} from '../src/federation/saml/acs-checks.js';
import {
  assertionOf,
  disposeAcsState,
  type AcsContext,
  type AcsState,
} from '../src/federation/saml/acs-context.js';
import { buildEntities } from '../src/federation/saml/saml-entities.js';
import { createSamlTestIdp, samlKeyPair } from '../test/support/saml-idp.js';
import { xmlCryptoVerify } from '../test/support/xml-crypto-reference.js';
import { pinToLoadCore, report, runLoad, startBenchWorld } from './support/harness.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 8;
/** More than the server can take in warm-up + SECONDS (the aim is 300/s). */
const RESPONSES = Number(process.env.BENCH_SAML_RESPONSES ?? 500 * (SECONDS + WARMUP_SECONDS));
/** How many of them the in-process verifiers go through, each several times. */
const SAMPLE = 200;

/** Responses per second of CPU time of this process, over `rounds` passes of `run`. */
async function perCpuSecond(
  count: number,
  rounds: number,
  run: () => Promise<void> | void,
): Promise<number> {
  await run(); // warm-up pass, not counted
  const before = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await run();
  const used = process.cpuUsage(before);
  return Math.round((count * rounds) / ((used.user + used.system) / 1e6));
}

const platform = { scope: 'platform:admin' as const, keyId: 'bench' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'bench' };

const world = await startBenchWorld();
try {
  const { app } = world;
  const org = await app.orgs.create({ slug: 'globex-bench', name: 'Globex bench' }, platform, ctx);
  const domain = await app.domains.add(org.id, { domain: 'globex.test' }, platform, ctx);
  await app.domains.attest(org.id, domain.id, {}, platform, ctx);
  const idp = createSamlTestIdp();
  const created = await app.connections.create(
    org.id,
    {
      type: 'saml',
      name: 'Globex bench IdP',
      idp_entity_id: idp.entityId,
      idp_sso_url: idp.ssoUrl,
      idp_certificates: [idp.keys.certificatePem],
      allow_idp_initiated: true,
      want_assertions_signed: true,
    },
    platform,
    ctx,
  );
  await app.connections.update(org.id, created.id, { status: 'active' }, null, platform, ctx);
  const base = `${world.url}/saml/${created.id}`;
  const sp = {
    entityId: base,
    acsUrl: `${base}/acs`,
    metadataXml: await (await fetch(`${base}/metadata`)).text(),
  };

  const mintStart = process.hrtime.bigint();
  const bodies: string[] = [];
  const sample: string[] = [];
  for (let i = 0; i < RESPONSES; i++) {
    const samlResponse = await idp.respond(sp, {
      inResponseTo: null,
      nameId: `user${i % 500}@globex.test`,
      // Valid long enough for the whole run.
      notOnOrAfter: new Date(Date.now() + 30 * 60_000),
    });
    bodies.push(new URLSearchParams({ SAMLResponse: samlResponse }).toString());
    if (i < SAMPLE) sample.push(Buffer.from(samlResponse, 'base64').toString('utf8'));
  }
  const mintMs = Number(process.hrtime.bigint() - mintStart) / 1e6 / RESPONSES;
  const bytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);

  // One response through first: the server's first request warms its code paths.
  const first = await fetch(sp.acsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: bodies.pop()!,
    redirect: 'manual',
  });
  if (first.status !== 303) throw new Error(`the ACS refused the first response: ${first.status}`);

  let next = 0;
  const acsPath = new URL(sp.acsUrl).pathname;
  const result = await runLoad({
    name: `SAML ACS, IdP-initiated, signed response + assertion (${CONNECTIONS} connections)`,
    url: world.url,
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    request: () => ({
      path: acsPath,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // Past the minted ones, the last is replayed: refused, and counted as an error.
      body: bodies[Math.min(next++, bodies.length - 1)]!,
    }),
    check: (status) => status === 303,
    serverCpuMs: () => world.serverCpuMs(),
  });
  report([result]);
  console.log(
    `\nminted ${RESPONSES} responses up front (${mintMs.toFixed(1)} ms each in samlify, ` +
      `${bytes} bytes as a form body); ${next} sent, ${bodies.length} available`,
  );

  // The same responses, in process on this (now idle) core: the reference, and ours.
  const certificates = [idp.keys.certificatePem];
  const reference = await perCpuSecond(sample.length, 2, () => {
    for (const xml of sample) {
      // Both signatures, as the ACS verifies them: the Response's, then the assertion's
      // alone (xml-crypto skips the second once the first verifies, so it gets its own call
      // on the Response without its signature).
      if (xmlCryptoVerify(xml, certificates) === null) throw new Error('reference refused');
      const withoutResponseSignature = xml.replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/, '');
      if (xmlCryptoVerify(withoutResponseSignature, certificates) === null)
        throw new Error('reference refused the assertion');
    }
  });
  const connection = {
    id: created.id,
    version: 1,
    idpEntityId: idp.entityId,
    idpSsoUrl: idp.ssoUrl,
    idpSloUrl: null,
    idpCertificates: certificates,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    signRequests: false,
    wantAssertionsSigned: true,
    allowIdpInitiated: true,
  };
  const endpoints = { entityId: sp.entityId, acsUrl: sp.acsUrl, sloUrl: `${base}/slo` };
  const layerCtx = {
    connection,
    endpoints,
    entities: buildEntities(connection, endpoints, { current: samlKeyPair('SP'), next: null }),
  } as AcsContext;
  const message = { samlResponse: '', relayState: null };
  const strict = await perCpuSecond(sample.length, 4, async () => {
    for (const xml of sample) {
      const state: AcsState = { xml };
      try {
        await checkWellFormed(message, state);
        await checkSchema(message, state);
        await checkSignature(message, state, layerCtx);
        await checkAssertionSigned(message, state, layerCtx);
        if (assertionOf(state).nameId === null) throw new Error('no NameID read');
      } finally {
        disposeAcsState(state);
      }
      if (!state.assertionSignatureVerified) throw new Error('strict refused');
    }
  });
  const acsPerCore =
    result.serverCpuMsPerRequest !== null ? Math.round(1000 / result.serverCpuMsPerRequest) : null;
  console.log('\n| verifier (same responses, same run) | responses/s per core | vs reference |');
  console.log('|---|---:|---:|');
  console.log(
    `| reference: xml-crypto 6.3 alone, both signatures, in process | ${reference} | 1.00× |`,
  );
  console.log(
    `| Latchkey's signature layer (parse, schema, both signatures, assertion read), in process | ${strict} | ${(strict / reference).toFixed(2)}× |`,
  );
  if (acsPerCore !== null)
    console.log(
      `| Latchkey's ACS over HTTP, every check, server CPU (${result.perSecond}/s measured) | ${acsPerCore} | ${(acsPerCore / reference).toFixed(2)}× |`,
    );
  console.log(
    `\nload average as the run ended (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} on ${cpus().length} cores (other work on the machine shows here)`,
  );
} finally {
  await world.close();
}
