/**
 * SAML ACS throughput on one core: signed Responses with signed assertions (RSA-SHA256),
 * each verified and put through every ACS check (schema, signatures against the
 * connection's certificate, audience, recipient, destination, time window, replay cache
 * in Redis) by the server pinned to CPU 0. The Responses are IdP-initiated (the bench
 * connection allows it), each with its own assertion id, all minted before the clock
 * starts by a samlify IdentityProvider (test/support/saml-idp.ts).
 * Run: npm run build && npm run bench -- bench/saml-acs.bench.ts  (needs Postgres and Redis)
 */
import { createSamlTestIdp } from '../test/support/saml-idp.js';
import { pinToLoadCore, report, runLoad, startBenchWorld } from './support/harness.js';

pinToLoadCore();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 8;
/** More than the server can take in warm-up + SECONDS (the aim is 200/s). */
const RESPONSES = Number(process.env.BENCH_SAML_RESPONSES ?? 300 * (SECONDS + WARMUP_SECONDS));

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
  for (let i = 0; i < RESPONSES; i++) {
    const samlResponse = await idp.respond(sp, {
      inResponseTo: null,
      nameId: `user${i % 500}@globex.test`,
      // Valid long enough for the whole run.
      notOnOrAfter: new Date(Date.now() + 30 * 60_000),
    });
    bodies.push(new URLSearchParams({ SAMLResponse: samlResponse }).toString());
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
} finally {
  await world.close();
}
