import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createDomainService,
  findVerifiedDomainOrg,
  type TxtResolver,
} from '../../src/orgs/index.js';
import { AppError } from '../../src/platform/errors.js';
import { createFakeClock } from '../../src/platform/clock.js';
import { startAdminFixture, type AdminClient, type AdminFixture } from '../support/admin.js';
import { assertMatchesSpec } from '../support/openapi.js';

const LIST = '/api/v1/orgs/{orgId}/domains';
const ONE = '/api/v1/orgs/{orgId}/domains/{domainId}';
const VERIFY = '/api/v1/orgs/{orgId}/domains/{domainId}/verify';
const ATTEST = '/api/v1/orgs/{orgId}/domains/{domainId}/attest';
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

interface DomainBody {
  id: string;
  org_id: string;
  domain: string;
  status: 'pending' | 'verified';
  verification: { method: string; record_name: string; record_value: string } | null;
  verification_method: 'dns' | 'attestation' | null;
  verified_at: string | null;
  created_at: string;
  updated_at: string;
}
interface Problem {
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}
interface AuditRow {
  type: string;
  org_id: string;
  actor_type: string;
  actor_id: string;
  target_type: string;
  target_id: string;
  outcome: string;
  reason: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
}

/** A DNS answer per test: name → TXT records (chunks), an error to throw, or a function. */
type Answer = string[][] | Error | (() => Promise<string[][]>);
const dnsError = (code: string, name: string) =>
  Object.assign(new Error(`queryTxt ${code} ${name}`), { code, hostname: name });

describe('admin API: domains', () => {
  const clock = createFakeClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const answers = new Map<string, Answer>();
  const lookups: string[] = [];
  // Not async: an answer function that throws makes the resolver itself throw.
  const resolveTxt: TxtResolver = (name) => {
    lookups.push(name);
    const answer = answers.get(name);
    if (answer === undefined) return Promise.reject(dnsError('ENOTFOUND', name));
    if (answer instanceof Error) return Promise.reject(answer);
    return typeof answer === 'function' ? answer() : Promise.resolve(answer);
  };
  /** Every token issued, to prove none of them is ever logged. */
  const tokens = new Set<string>();
  let f: AdminFixture;

  const orgPath = (orgId: string) => `/api/v1/orgs/${orgId}/domains`;
  const domainPath = (orgId: string, id: string) => `${orgPath(orgId)}/${id}`;
  const add = async (client: AdminClient, orgId: string, domain: string) => {
    clock.advance(1000);
    const res = await client.post(orgPath(orgId), { domain });
    assert.equal(res.status, 201, `adding ${domain}: ${res.text}`);
    const body = res.body as DomainBody;
    tokens.add(body.verification!.record_value);
    return { res, body };
  };
  const publish = (domain: DomainBody, ...records: string[][]) =>
    answers.set(domain.verification!.record_name, records);
  const auditOf = async (targetId: string) =>
    (
      await f.t.app.db.query<AuditRow>(
        'SELECT * FROM audit_events WHERE target_id = $1 ORDER BY id',
        [targetId],
      )
    ).rows;
  const storedRow = async (id: string) =>
    (await f.t.app.db.query('SELECT * FROM org_domains WHERE id = $1', [id])).rows[0];

  before(async () => {
    f = await startAdminFixture({ clock, resolveTxt });
  });
  after(async () => {
    await f.t.close();
  });

  describe('happy paths', () => {
    it('when a platform admin adds a domain, then 201 with Location, ETag and the TXT record to publish', async () => {
      const { res, body } = await add(f.platform, f.orgA.id, 'Acme-Corp.example');
      assertMatchesSpec(res, 'post', LIST);
      assert.equal(res.headers.location, `/api/v1/orgs/${f.orgA.id}/domains/${body.id}`);
      assert.equal(res.headers.etag, '"1"');
      assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      assert.equal(body.org_id, f.orgA.id);
      assert.equal(body.domain, 'acme-corp.example');
      assert.equal(body.status, 'pending');
      assert.equal(body.verification_method, null);
      assert.equal(body.verified_at, null);
      assert.equal(body.created_at, clock.now().toISOString());
      assert.equal(body.verification!.method, 'dns_txt');
      assert.equal(body.verification!.record_name, '_latchkey-challenge.acme-corp.example');
      // 32 random bytes, base64url.
      assert.match(body.verification!.record_value, /^[A-Za-z0-9_-]{43}$/);

      const got = await f.platform.get(domainPath(f.orgA.id, body.id));
      assert.equal(got.status, 200);
      assertMatchesSpec(got, 'get', ONE);
      assert.equal(got.headers.etag, '"1"');
      assert.deepEqual(got.body, body);
    });

    it('when an org admin adds a unicode domain, then it is stored and challenged as punycode', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, '  Bücher.Example. ');
      assert.equal(body.domain, 'xn--bcher-kva.example');
      assert.equal(body.verification!.record_name, '_latchkey-challenge.xn--bcher-kva.example');
      const row = await storedRow(body.id);
      assert.equal(row?.domain, 'xn--bcher-kva.example');
    });

    it('when each org admin issues tokens, then every domain gets its own', async () => {
      const one = await add(f.orgB.admin, f.orgB.id, 'token-one.example');
      const two = await add(f.orgB.admin, f.orgB.id, 'token-two.example');
      assert.notEqual(one.body.verification!.record_value, two.body.verification!.record_value);
    });

    it('when the TXT record holds the token, then verify marks the domain verified by dns', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'verified-by-dns.example');
      const token = body.verification!.record_value;
      // A long TXT value arrives in chunks; other records at the name do not matter.
      publish(body, ['v=spf1 -all'], [token.slice(0, 20), token.slice(20)]);
      clock.advance(60_000);
      const res = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`);
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'post', VERIFY);
      const verified = res.body as DomainBody;
      assert.equal(verified.status, 'verified');
      assert.equal(verified.verification_method, 'dns');
      assert.equal(verified.verified_at, clock.now().toISOString());
      assert.equal(verified.updated_at, clock.now().toISOString());
      assert.equal(verified.verification, null);
      assert.equal(res.headers.etag, '"2"');
      assert.equal(lookups.at(-1), '_latchkey-challenge.verified-by-dns.example');

      const events = await auditOf(body.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.domain.added', 'admin.domain.verified'],
      );
      assert.equal(events[1]!.outcome, 'success');
      assert.equal(events[1]!.request_id, res.headers['x-request-id']);
      assert.deepEqual(events[1]!.data, {
        before: { status: 'pending', verification_method: null, verified_at: null },
        after: {
          status: 'verified',
          verification_method: 'dns',
          verified_at: clock.now().toISOString(),
        },
      });
    });

    it('when a verified domain is verified again, then 200 unchanged, without a lookup or an event', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'verify-twice.example');
      publish(body, [body.verification!.record_value]);
      const first = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`, {});
      assert.equal(first.status, 200);
      answers.delete(body.verification!.record_name);
      const lookupsBefore = lookups.length;
      clock.advance(5000);
      const again = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`, {});
      assert.equal(again.status, 200);
      assertMatchesSpec(again, 'post', VERIFY);
      assert.deepEqual(again.body, first.body);
      assert.equal(again.headers.etag, first.headers.etag);
      assert.equal(lookups.length, lookupsBefore);
      assert.equal((await auditOf(body.id)).length, 2);
    });

    it('when a platform admin attests a domain, then it is verified by attestation and audited', async () => {
      const { body } = await add(f.orgB.admin, f.orgB.id, 'attested.example');
      clock.advance(1000);
      const res = await f.platform.post(`${domainPath(f.orgB.id, body.id)}/attest`);
      assert.equal(res.status, 200, res.text);
      assertMatchesSpec(res, 'post', ATTEST);
      const attested = res.body as DomainBody;
      assert.equal(attested.status, 'verified');
      assert.equal(attested.verification_method, 'attestation');
      assert.equal(attested.verified_at, clock.now().toISOString());
      assert.equal(attested.verification, null);
      const events = await auditOf(body.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.domain.added', 'admin.domain.attested'],
      );
      assert.equal(events[1]!.actor_type, 'api_key');

      // Attesting (or verifying) what is verified changes nothing.
      const again = await f.platform.post(`${domainPath(f.orgB.id, body.id)}/attest`, {});
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, res.body);
      assert.equal((await auditOf(body.id)).length, 2);
    });

    it('when an org admin removes its domain, then 204, it is gone, audited, and free for any org', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'removed.example');
      clock.advance(1000);
      const res = await f.orgA.admin.delete(domainPath(f.orgA.id, body.id));
      assert.equal(res.status, 204);
      assertMatchesSpec(res, 'delete', ONE);
      const gone = await f.orgA.admin.get(domainPath(f.orgA.id, body.id));
      assert.equal(gone.status, 404);
      assert.equal((gone.body as Problem).code, 'not_found');
      const events = await auditOf(body.id);
      assert.deepEqual(
        events.map((e) => e.type),
        ['admin.domain.added', 'admin.domain.removed'],
      );
      assert.deepEqual(events[1]!.data, {
        before: {
          domain: 'removed.example',
          status: 'pending',
          verification_method: null,
          verified_at: null,
        },
        after: null,
      });
      const claimed = await add(f.orgB.admin, f.orgB.id, 'removed.example');
      assert.equal(claimed.body.org_id, f.orgB.id);
    });

    it('when domains are listed, then an org sees only its own, and cursors walk every one exactly once', async () => {
      const org = await f.makeOrg('many-domains');
      const added: string[] = [];
      for (let i = 0; i < 5; i++)
        added.push((await add(org.admin, org.id, `d${i}.many.example`)).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await org.admin.get(
          `${orgPath(org.id)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(res.status, 200);
        assertMatchesSpec(res, 'get', LIST);
        const page = res.body as { items: DomainBody[]; next_cursor: string | null };
        assert.ok(page.items.length <= 2);
        assert.ok(page.items.every((d) => d.org_id === org.id));
        seen.push(...page.items.map((d) => d.id));
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, added, 'every domain once, oldest first');

      const platformView = await f.platform.get(orgPath(org.id));
      assert.deepEqual(
        (platformView.body as { items: DomainBody[] }).items.map((d) => d.id),
        added,
      );
      const empty = await f.makeOrg('no-domains');
      const none = await empty.admin.get(orgPath(empty.id));
      assert.deepEqual(none.body, { items: [], next_cursor: null });
    });
  });

  describe('login routing', () => {
    it('when a domain is pending, then it routes no logins; once verified, it does', async () => {
      const { body } = await add(f.orgB.admin, f.orgB.id, 'routing.example');
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'routing.example'), null);
      publish(body, [body.verification!.record_value]);
      const res = await f.orgB.admin.post(`${domainPath(f.orgB.id, body.id)}/verify`);
      assert.equal(res.status, 200);
      for (const asked of ['routing.example', 'Routing.Example.', '  ROUTING.example ']) {
        assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, asked), { orgId: f.orgB.id });
      }
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'sub.routing.example'), null);
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, '*.routing.example'), null);
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'unknown.example'), null);
    });

    it('when a unicode domain is verified, then logins route for its unicode and punycode forms', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'straße.example');
      assert.equal(body.domain, 'xn--strae-oqa.example');
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'straße.example'), null);
      const res = await f.platform.post(`${domainPath(f.orgA.id, body.id)}/attest`);
      assert.equal(res.status, 200);
      assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, 'STRAẞE.example'), {
        orgId: f.orgA.id,
      });
      assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, 'xn--strae-oqa.example'), {
        orgId: f.orgA.id,
      });
    });

    it('when a verified domain is removed or its org deleted, then it routes no logins', async () => {
      const doomed = await f.makeOrg('routing-doomed');
      const a = await add(doomed.admin, doomed.id, 'doomed-org.example');
      const b = await add(doomed.admin, doomed.id, 'doomed-domain.example');
      for (const d of [a.body, b.body]) {
        assert.equal((await f.platform.post(`${domainPath(doomed.id, d.id)}/attest`)).status, 200);
      }
      assert.deepEqual(await findVerifiedDomainOrg(f.t.app.db, 'doomed-org.example'), {
        orgId: doomed.id,
      });
      assert.equal((await doomed.admin.delete(domainPath(doomed.id, b.body.id))).status, 204);
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'doomed-domain.example'), null);
      assert.equal((await f.platform.delete(`/api/v1/orgs/${doomed.id}`)).status, 204);
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'doomed-org.example'), null);
    });
  });

  describe('failed verification', () => {
    const cases: Array<[string, (name: string, token: string) => Answer, string]> = [
      ['no such name (ENOTFOUND)', (name) => dnsError('ENOTFOUND', name), 'txt_record_not_found'],
      ['no TXT data (ENODATA)', (name) => dnsError('ENODATA', name), 'txt_record_not_found'],
      ['a lookup timeout (ETIMEOUT)', (name) => dnsError('ETIMEOUT', name), 'dns_lookup_failed'],
      ['a server failure (ESERVFAIL)', (name) => dnsError('ESERVFAIL', name), 'dns_lookup_failed'],
      ['an empty answer', () => [], 'txt_record_not_found'],
      [
        'only other records',
        () => [['v=spf1 -all'], ['google-site-verification=x']],
        'txt_record_mismatch',
      ],
      ['the token with extra text', (_n, token) => [[`token=${token}`]], 'txt_record_mismatch'],
      ['half of the token', (_n, token) => [[token.slice(0, 20)]], 'txt_record_mismatch'],
      [
        'a malformed answer',
        () => () => Promise.resolve(null as unknown as string[][]),
        'txt_record_not_found',
      ],
      [
        'an error with an odd code',
        () => Object.assign(new Error('odd'), { code: 'E\n<script>' }),
        'dns_lookup_failed',
      ],
    ];
    for (const [what, answer, reason] of cases) {
      it(`when the lookup gives ${what}, then 422 domain_verification_failed, still pending, and an audited failure`, async () => {
        const slug = what
          .replace(/[^a-z]+/gi, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase();
        const { body } = await add(f.orgA.admin, f.orgA.id, `${slug}.fail.example`);
        const name = body.verification!.record_name;
        answers.set(name, answer(name, body.verification!.record_value));
        clock.advance(1000);
        const res = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`);
        assert.equal(res.status, 422, res.text);
        assertMatchesSpec(res, 'post', VERIFY);
        const problem = res.body as Problem;
        assert.equal(problem.code, 'domain_verification_failed');
        assert.ok(problem.detail.includes(name), 'the detail names the record expected');
        assert.equal(res.text.includes(body.verification!.record_value), false);

        const now = await f.orgA.admin.get(domainPath(f.orgA.id, body.id));
        assert.equal((now.body as DomainBody).status, 'pending');
        assert.equal(now.headers.etag, '"1"');
        const failure = (await auditOf(body.id)).at(-1)!;
        assert.equal(failure.type, 'admin.domain.verification_failed');
        assert.equal(failure.outcome, 'failure');
        assert.equal(failure.reason, reason);
        assert.equal(failure.request_id, res.headers['x-request-id']);
        assert.equal(failure.data.record_name, name);
      });
    }

    it('when the resolver throws synchronously, then it is a failed verification, not a 500', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'sync-throw.fail.example');
      answers.set(body.verification!.record_name, () => {
        throw new TypeError('resolver bug');
      });
      const res = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`);
      assert.equal(res.status, 422);
      assert.equal((res.body as Problem).code, 'domain_verification_failed');
      assert.equal(f.t.logs.text.includes('resolver bug'), false);
    });

    it('when the resolver never answers, then the lookup gives up and the verification fails', async () => {
      const { body } = await add(f.orgB.admin, f.orgB.id, 'silent-dns.example');
      const service = createDomainService({
        db: f.t.app.db,
        audit: f.t.app.audit,
        clock,
        resolveTxt: () => new Promise<string[][]>(() => undefined),
        dnsTimeoutMs: 5,
      });
      const principal = { scope: 'platform:admin', keyId: 'test' } as const;
      clock.advance(1000);
      const context = { requestId: null, ip: null, userAgent: null };
      await assert.rejects(
        service.verify(f.orgB.id, body.id, undefined, principal, context),
        (error: unknown) =>
          error instanceof AppError && error.code === 'domain_verification_failed',
      );
      const failure = (await auditOf(body.id)).at(-1)!;
      assert.equal(failure.reason, 'dns_lookup_failed');
      assert.equal(failure.data.dns_error, 'ETIMEOUT');
      assert.equal((await storedRow(body.id))?.status, 'pending');
    });

    it('when a failed domain later publishes the token, then verify succeeds', async () => {
      const { body } = await add(f.orgB.admin, f.orgB.id, 'late-publish.example');
      const path = `${domainPath(f.orgB.id, body.id)}/verify`;
      assert.equal((await f.orgB.admin.post(path)).status, 422);
      publish(body, [body.verification!.record_value]);
      const res = await f.orgB.admin.post(path);
      assert.equal(res.status, 200);
      assert.equal((res.body as DomainBody).status, 'verified');
    });
  });

  describe('validation and mass assignment', () => {
    it('when the domain is not one we accept, then 400 validation_failed on domain, and nothing is stored', async () => {
      const { rows: before } = await f.t.app.db.query('SELECT id FROM org_domains');
      for (const domain of [
        '*.example.com',
        '*',
        '192.0.2.10',
        '[2001:db8::1]',
        '0x7f.1',
        'intranet',
        'localhost',
        'app.localhost',
        `${'a'.repeat(64)}.example`,
        `${`${'a'.repeat(63)}.`.repeat(4)}com`,
        'under_score.example',
        'a/b.example',
        'user@example.com',
        '-lead.example',
        'trail-.example',
        'double..dot.example',
        'xn--zz.example',
        '',
        42,
        null,
      ]) {
        const res = await f.orgA.admin.post(orgPath(f.orgA.id), { domain });
        assert.equal(res.status, 400, JSON.stringify(domain));
        assertMatchesSpec(res, 'post', LIST);
        const problem = res.body as Problem;
        assert.equal(problem.code, 'validation_failed');
        assert.deepEqual(
          problem.errors!.map((e) => e.field),
          ['domain'],
          JSON.stringify(domain),
        );
      }
      const missing = await f.orgA.admin.post(orgPath(f.orgA.id), {});
      assert.equal(missing.status, 400);
      assert.deepEqual(
        (missing.body as Problem).errors!.map((e) => e.field),
        ['domain'],
      );
      const { rows: after } = await f.t.app.db.query('SELECT id FROM org_domains');
      assert.equal(after.length, before.length);
    });

    it('when a domain is verified by an org, or claimed by the same org, in any spelling, then 409 domain_taken', async () => {
      for (const name of ['taken.example', 'ünïcode-taken.example']) {
        const { body } = await add(f.orgA.admin, f.orgA.id, name);
        publish(body, [body.verification!.record_value]);
        const verified = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`, {});
        assert.equal(verified.status, 200, verified.text);
      }
      for (const [client, orgId, domain] of [
        [f.orgA.admin, f.orgA.id, 'taken.example'],
        [f.orgB.admin, f.orgB.id, 'TAKEN.example.'],
        [f.platform, f.orgB.id, 'taken.example'],
        [f.orgB.admin, f.orgB.id, 'ÜNÏCODE-taken.example'],
        [f.orgB.admin, f.orgB.id, 'xn--ncode-taken-ddb1o.example'],
      ] as const) {
        const res = await client.post(orgPath(orgId), { domain });
        assert.equal(res.status, 409, `${domain}: ${res.text}`);
        assertMatchesSpec(res, 'post', LIST);
        assert.equal((res.body as Problem).code, 'domain_taken');
      }
    });

    it('when a body smuggles id, org_id, status, verification fields or scope, then 400 and nothing changes', async () => {
      const { rows: before } = await f.t.app.db.query('SELECT id FROM org_domains');
      for (const smuggled of [
        { id: UNKNOWN_ID },
        { org_id: f.orgB.id },
        { status: 'verified' },
        { verification_method: 'attestation' },
        { verified_at: '2026-01-01T00:00:00Z' },
        { verification_token: 'chosen-by-me' },
        { scope: 'platform:admin' },
        { role: 'admin' },
      ]) {
        const res = await f.orgA.admin.post(orgPath(f.orgA.id), {
          domain: 'smuggled.example',
          ...smuggled,
        });
        assert.equal(res.status, 400, JSON.stringify(smuggled));
        assert.deepEqual((res.body as Problem).errors, [
          { field: Object.keys(smuggled)[0]!, message: 'unknown field' },
        ]);
      }
      const { rows: after } = await f.t.app.db.query('SELECT id FROM org_domains');
      assert.equal(after.length, before.length);

      const { body } = await add(f.orgA.admin, f.orgA.id, 'no-shortcuts.example');
      const lookupsBefore = lookups.length;
      for (const action of ['verify', 'attest']) {
        const res = await f.platform.post(`${domainPath(f.orgA.id, body.id)}/${action}`, {
          status: 'verified',
        });
        assert.equal(res.status, 400, action);
        assertMatchesSpec(res, 'post', action === 'verify' ? VERIFY : ATTEST);
        assert.deepEqual((res.body as Problem).errors, [
          { field: 'status', message: 'unknown field' },
        ]);
      }
      assert.equal(lookups.length, lookupsBefore);
      assert.equal((await storedRow(body.id))?.status, 'pending');
      assert.equal((await auditOf(body.id)).length, 1);
    });

    it('when limit or cursor are not valid, then 400 naming them', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=x', 'cursor=nope']) {
        const res = await f.orgA.admin.get(`${orgPath(f.orgA.id)}?${query}`);
        assert.equal(res.status, 400, query);
        assertMatchesSpec(res, 'get', LIST);
        assert.equal((res.body as Problem).code, 'validation_failed');
      }
    });
  });

  describe('tenant isolation and authority', () => {
    it("when an org admin uses another org's ids with any verb, then 404 exactly like an unknown id", async () => {
      const { body: theirs } = await add(f.orgB.admin, f.orgB.id, 'b-private.example');
      const { body: mine } = await add(f.orgA.admin, f.orgA.id, 'a-own.example');
      const combos: Array<[string, string]> = [
        [f.orgB.id, theirs.id], // another org's domain, by its own org
        [f.orgA.id, theirs.id], // another org's domain, under my org
        [f.orgB.id, mine.id], // my domain, under another org
        [f.orgA.id, UNKNOWN_ID],
        [UNKNOWN_ID, UNKNOWN_ID],
        [f.orgA.id, 'not-a-uuid'],
        ['not-a-uuid', mine.id],
      ];
      const lookupsBefore = lookups.length;
      // Per verb, the problem each well-formed combination gets, without its request id.
      const answersByVerb = new Map<string, Set<string>>();
      for (const [orgId, domainId] of combos) {
        const path = domainPath(orgId, domainId);
        const responses = [
          ['GET', await f.orgA.admin.get(path), 'get', ONE],
          ['DELETE', await f.orgA.admin.delete(path), 'delete', ONE],
          ['verify', await f.orgA.admin.post(`${path}/verify`), 'post', VERIFY],
          ['attest', await f.orgA.admin.post(`${path}/attest`, {}), 'post', ATTEST],
        ] as const;
        for (const [verb, res, method, template] of responses) {
          assert.equal(res.status, 404, `${verb} ${orgId}/${domainId}`);
          assert.equal((res.body as Problem).code, 'not_found');
          assert.equal(res.text.includes(theirs.id), false);
          assertMatchesSpec(res, method, template);
          if (orgId !== 'not-a-uuid' && domainId !== 'not-a-uuid') {
            const { request_id: _ignored, ...problem } = res.body as Record<string, unknown>;
            const seen = answersByVerb.get(verb) ?? new Set<string>();
            answersByVerb.set(verb, seen.add(JSON.stringify(problem)));
          }
        }
      }
      for (const [verb, problems] of answersByVerb) {
        assert.equal(problems.size, 1, `${verb}: another org's ids answer like unknown ones`);
      }
      assert.equal(lookups.length, lookupsBefore, 'no DNS lookup for ids out of reach');
      for (const orgId of [f.orgB.id, UNKNOWN_ID, 'not-a-uuid']) {
        const list = await f.orgA.admin.get(orgPath(orgId));
        assert.equal(list.status, 404, `list ${orgId}`);
        assert.equal((list.body as Problem).code, 'not_found');
        assertMatchesSpec(list, 'get', LIST);
        const create = await f.orgA.admin.post(orgPath(orgId), { domain: 'hijack.example' });
        assert.equal(create.status, 404, `create ${orgId}`);
        assert.equal((create.body as Problem).code, 'not_found');
        assertMatchesSpec(create, 'post', LIST);
      }
      // Unknown org ids are 404 for a platform admin too, and ids must match their org.
      assert.equal((await f.platform.get(orgPath(UNKNOWN_ID))).status, 404);
      assert.equal(
        (await f.platform.post(orgPath(UNKNOWN_ID), { domain: 'orphan.example' })).status,
        404,
      );
      assert.equal((await f.platform.get(domainPath(f.orgA.id, theirs.id))).status, 404);
      assert.equal((await f.platform.delete(domainPath(f.orgA.id, theirs.id))).status, 404);

      // Org B's domain is untouched and nothing was created for org A.
      const still = await f.orgB.admin.get(domainPath(f.orgB.id, theirs.id));
      assert.equal(still.status, 200);
      assert.deepEqual(still.body, theirs);
      assert.equal(await findVerifiedDomainOrg(f.t.app.db, 'b-private.example'), null);
      const hijack = await f.t.app.db.query(
        "SELECT 1 FROM org_domains WHERE domain IN ('hijack.example', 'orphan.example')",
      );
      assert.equal(hijack.rows.length, 0);
    });

    it("when an org admin attests its own org's domain, then 403 insufficient_scope and it stays pending", async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'self-attest.example');
      for (const payload of [undefined, {}]) {
        const res = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/attest`, payload);
        assert.equal(res.status, 403);
        assertMatchesSpec(res, 'post', ATTEST);
        assert.equal((res.body as Problem).code, 'insufficient_scope');
      }
      assert.equal((await storedRow(body.id))?.status, 'pending');
      assert.equal((await auditOf(body.id)).length, 1);
    });
  });

  describe('optimistic concurrency', () => {
    it('when a delete carries a stale If-Match, then 412 and the domain stays; the current ETag deletes it', async () => {
      const { body } = await add(f.orgA.admin, f.orgA.id, 'stale-delete.example');
      const read = await f.orgA.admin.get(domainPath(f.orgA.id, body.id));
      publish(body, [body.verification!.record_value]);
      clock.advance(1000);
      const verified = await f.orgA.admin.post(`${domainPath(f.orgA.id, body.id)}/verify`);
      assert.equal(verified.status, 200);

      const stale = await f.orgA.admin
        .delete(domainPath(f.orgA.id, body.id))
        .set('If-Match', read.headers.etag!);
      assert.equal(stale.status, 412);
      assertMatchesSpec(stale, 'delete', ONE);
      assert.equal((stale.body as Problem).code, 'precondition_failed');
      assert.equal((await f.orgA.admin.get(domainPath(f.orgA.id, body.id))).status, 200);

      const garbage = await f.orgA.admin
        .delete(domainPath(f.orgA.id, body.id))
        .set('If-Match', 'nonsense');
      assert.equal(garbage.status, 412);

      clock.advance(1000);
      const current = await f.orgA.admin
        .delete(domainPath(f.orgA.id, body.id))
        .set('If-Match', verified.headers.etag!);
      assert.equal(current.status, 204);
      assert.equal((await auditOf(body.id)).at(-1)!.type, 'admin.domain.removed');
    });
  });

  describe('secrets and audit', () => {
    it('when a domain is added, then one audit event holds actor, target and the domain, never the token', async () => {
      const { res, body } = await add(f.orgB.admin, f.orgB.id, 'audited.example');
      const [event] = await auditOf(body.id);
      assert.equal(event!.type, 'admin.domain.added');
      assert.equal(event!.org_id, f.orgB.id);
      assert.equal(event!.actor_type, 'api_key');
      assert.equal(event!.target_type, 'domain');
      assert.equal(event!.request_id, res.headers['x-request-id']);
      assert.deepEqual(event!.data, {
        before: null,
        after: {
          domain: 'audited.example',
          status: 'pending',
          verification_method: null,
          verified_at: null,
        },
      });
    });

    it('when every test has run, then no verification token is in any log line or audit event', async () => {
      assert.ok(tokens.size > 20, 'the check is not vacuous');
      const logs = f.t.logs.text;
      assert.ok(logs.length > 0);
      const { rows } = await f.t.app.db.query<{ data: unknown; reason: string | null }>(
        "SELECT data, reason FROM audit_events WHERE type LIKE 'admin.domain.%'",
      );
      const audit = JSON.stringify(rows);
      for (const token of tokens) {
        assert.equal(logs.includes(token), false, 'a token was logged');
        assert.equal(audit.includes(token), false, 'a token was audited');
      }
    });
  });
});
