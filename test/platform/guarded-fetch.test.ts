import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertOutboundUrl,
  assertResolvedTarget,
  guardedFetch,
  isForbiddenAddress,
  isLoopbackAddress,
  type HostLookup,
  type OutboundPolicy,
} from '../../src/platform/net/index.js';
import { startLocalServer, withoutDialling, type LocalServer } from '../support/local-http.js';

// Nothing here talks to anything but servers this file starts on 127.0.0.1; every refusal
// is checked with dialling disabled, so not even a bug could reach another address.

const policy = (overrides: Partial<OutboundPolicy> = {}): OutboundPolicy => ({
  timeoutMs: 2000,
  maxResponseBytes: 64 * 1024,
  allowHttpLoopback: true,
  allowedPrivateHosts: [],
  ...overrides,
});

const codeOf = (error: unknown) => (error as { code?: string } | undefined)?.code;

describe('outbound address policy', () => {
  it('when an address is loopback, private, link-local, CGNAT, reserved or multicast, then it is forbidden', () => {
    const forbidden = [
      '127.0.0.1',
      '127.255.255.254',
      '0.0.0.0',
      '0.1.2.3',
      '10.0.0.1',
      '10.255.255.255',
      '100.64.0.1',
      '100.127.255.255',
      '169.254.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.8',
      '192.0.2.1',
      '192.168.0.1',
      '192.168.255.255',
      '198.18.0.1',
      '198.19.255.255',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::ffff:192.168.1.1',
      '::ffff:100.64.0.1',
      '::ffff:0.0.0.0',
      '::ffff:0:127.0.0.1',
      '::127.0.0.1',
      '::8.8.8.8',
      '64:ff9b::10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::1',
      '2002:7f00:1::1',
      '2002:c0a8:101::1',
      '2001::1',
      '2001:db8::1',
      '100::1',
      'fc00::1',
      'fd12:3456:789a::1',
      'fe80::1',
      'fe80::1%eth0',
      'febf:ffff::1',
      'fec0::1',
      'ff02::1',
      'ff05::1:3',
      '[::1]',
      'not-an-ip',
      '',
      '1.2.3',
      '01.02.03.04',
      '2130706433',
    ];
    for (const ip of forbidden) assert.equal(isForbiddenAddress(ip), true, ip);
  });

  it('when an address is public unicast, then it is allowed, also IPv4-mapped and via NAT64 or 6to4', () => {
    const allowed = [
      '1.1.1.1',
      '8.8.8.8',
      '9.255.255.255',
      '11.0.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '169.253.255.255',
      '172.15.255.255',
      '172.32.0.1',
      '192.167.255.255',
      '192.169.0.1',
      '198.17.255.255',
      '198.20.0.1',
      '223.255.255.255',
      '2606:4700:4700::1111',
      '2a00:1450:4001:80b::200e',
      '::ffff:8.8.8.8',
      '::ffff:808:808',
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
    ];
    for (const ip of allowed) assert.equal(isForbiddenAddress(ip), false, ip);
  });

  it('when an address is a loopback form, then isLoopbackAddress says so, and only then', () => {
    for (const ip of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      assert.equal(isLoopbackAddress(ip), true, ip);
    for (const ip of ['10.0.0.1', '::', '::2', '169.254.169.254', '8.8.8.8', 'localhost'])
      assert.equal(isLoopbackAddress(ip), false, ip);
  });

  it('when a URL is not https, carries credentials or names a forbidden IP, then it is refused unresolved', () => {
    const strict = policy({ allowHttpLoopback: false });
    const refused: Array<[string, OutboundPolicy]> = [
      ['ftp://idp.example.com/metadata', policy()],
      ['file:///etc/passwd', policy()],
      ['gopher://127.0.0.1:70/', policy()],
      ['http://idp.example.com/metadata', policy()],
      ['http://127.0.0.1:8080/', strict],
      ['http://localhost:8080/', strict],
      ['http://169.254.169.254/latest/meta-data/', policy()],
      ['http://10.0.0.1/', policy()],
      ['https://user:pass@idp.example.com/', policy()],
      ['https://169.254.169.254/latest/meta-data/', policy()],
      ['https://10.1.2.3/', policy()],
      ['https://[::ffff:a9fe:a9fe]/', policy()],
      ['https://[fd00::1]/', policy()],
      ['https://127.0.0.1/', strict],
      ['https://0.0.0.0/', policy()],
      ['https://2130706433/', strict],
      ['https://0x7f.1/', strict],
      ['https://[::ffff:127.0.0.1]/', strict],
      ['not a url', policy()],
    ];
    for (const [url, p] of refused) {
      assert.throws(
        () => assertOutboundUrl(url, p),
        (e: unknown) => codeOf(e) === 'outbound_forbidden_target',
        url,
      );
    }
    for (const [url, p] of [
      ['https://idp.example.com/metadata', strict],
      ['https://8.8.8.8/', strict],
      ['http://127.0.0.1:8080/', policy()],
      ['http://localhost:8080/', policy()],
      ['http://[::1]:8080/', policy()],
      ['https://10.1.2.3/', policy({ allowedPrivateHosts: ['10.1.2.3'] })],
    ] as const) {
      assert.doesNotThrow(() => assertOutboundUrl(url, p), url);
    }
  });

  it('when a host resolves, then every address must be allowed, unless the host is allowlisted', () => {
    const refuse = (url: string, addresses: string[], p: OutboundPolicy) =>
      assert.throws(
        () => assertResolvedTarget(new URL(url), addresses, p),
        (e: unknown) => codeOf(e) === 'outbound_forbidden_target',
        `${url} → ${addresses.join(',')}`,
      );
    refuse('https://idp.example.com/', ['10.0.0.5'], policy());
    refuse('https://idp.example.com/', ['8.8.8.8', '169.254.169.254'], policy());
    refuse('https://idp.example.com/', ['::ffff:192.168.0.10'], policy());
    refuse('https://idp.example.com/', [], policy());
    refuse('https://idp.example.com/', ['127.0.0.1'], policy({ allowHttpLoopback: false }));
    refuse('http://idp.test/', ['127.0.0.1'], policy({ allowHttpLoopback: false }));
    refuse('http://idp.test/', ['127.0.0.1', '10.0.0.1'], policy());
    refuse(
      'http://intranet.corp/',
      ['10.0.0.5'],
      policy({ allowedPrivateHosts: ['intranet.corp'] }),
    );
    refuse('https://other.corp/', ['10.0.0.5'], policy({ allowedPrivateHosts: ['intranet.corp'] }));

    assert.doesNotThrow(() =>
      assertResolvedTarget(
        new URL('https://idp.example.com/'),
        ['8.8.8.8', '2606:4700::1'],
        policy(),
      ),
    );
    assert.doesNotThrow(() =>
      assertResolvedTarget(
        new URL('https://Intranet.Corp./'),
        ['10.0.0.5'],
        policy({ allowHttpLoopback: false, allowedPrivateHosts: ['intranet.corp'] }),
      ),
    );
    assert.doesNotThrow(() =>
      assertResolvedTarget(new URL('http://idp.test:8080/'), ['127.0.0.1', '::1'], policy()),
    );
  });
});

describe('guardedFetch against servers on 127.0.0.1', () => {
  let plain: LocalServer;
  let other: LocalServer;
  let hops: LocalServer;
  let slow: LocalServer;
  let big: LocalServer;
  const seenHosts: string[] = [];

  before(async () => {
    plain = await startLocalServer((req, res) => {
      seenHosts.push(req.headers.host ?? '');
      if (req.url === '/missing') {
        res.writeHead(404).end('no');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${req.url}`);
    });
    other = await startLocalServer((req, res) => {
      res.writeHead(200).end(`other ${req.method} ${req.url}`);
    });
    hops = await startLocalServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const n = Number(url.searchParams.get('n') ?? '0');
      if (url.pathname === '/to-other') {
        res.writeHead(302, { location: `${other.url}/landed` }).end();
      } else if (url.pathname === '/relative') {
        res.writeHead(301, { location: '/chain?n=0' }).end();
      } else if (url.pathname === '/chain') {
        if (n === 0) res.writeHead(200).end('end of chain');
        else res.writeHead(307, { location: `/chain?n=${n - 1}` }).end();
      } else if (url.pathname === '/to-metadata-service') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (url.pathname === '/to-https-private') {
        res.writeHead(302, { location: 'https://10.0.0.7/' }).end();
      } else if (url.pathname === '/to-rebound-name') {
        res.writeHead(302, { location: 'https://rebound.example.test/' }).end();
      } else if (url.pathname === '/see-other') {
        res.writeHead(303, { location: `${other.url}/after-post` }).end();
      } else {
        res.writeHead(302).end();
      }
    });
    slow = await startLocalServer((req, res) => {
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a little, then nothing');
        return;
      }
      // Never answers: only the deadline ends this exchange.
    });
    big = await startLocalServer((req, res) => {
      const chunk = Buffer.alloc(16 * 1024, 'x');
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(chunk.length * 8) });
      } else {
        res.writeHead(200);
      }
      for (let i = 0; i < 8; i++) res.write(chunk);
      res.end();
    });
  });

  after(async () => {
    for (const server of [plain, other, hops, slow, big]) await server.close();
  });

  it('when http to 127.0.0.1 is allowed, then the body and status come back', async () => {
    const res = await guardedFetch(`${plain.url}/doc`, policy());
    assert.equal(res.status, 200);
    assert.equal(res.text(), 'hello from /doc');
    assert.equal(res.url, `${plain.url}/doc`);
    const missing = await guardedFetch(`${plain.url}/missing`, policy());
    assert.equal(missing.status, 404);
  });

  it('when http to loopback is not allowed, then it is refused before any connection', async () => {
    const before = plain.connections;
    const { error, dialled } = await withoutDialling(() =>
      guardedFetch(`${plain.url}/doc`, policy({ allowHttpLoopback: false })),
    );
    assert.equal(codeOf(error), 'outbound_forbidden_target');
    assert.deepEqual(dialled, []);
    assert.equal(plain.connections, before);
  });

  it('when a host name resolves to a forbidden address, then it is refused and nothing is dialled', async () => {
    const asked: string[] = [];
    for (const address of ['10.0.0.5', '169.254.169.254', '::ffff:192.168.1.1', 'fd00::1']) {
      const lookup: HostLookup = (hostname) => {
        asked.push(hostname);
        return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
      };
      const { error, dialled } = await withoutDialling(() =>
        guardedFetch('https://idp.example.test/metadata', policy(), { lookup }),
      );
      assert.equal(codeOf(error), 'outbound_forbidden_target', address);
      assert.deepEqual(dialled, [], address);
    }
    assert.deepEqual(asked, Array(4).fill('idp.example.test'));
  });

  it('when plain http goes to a name that resolves to a public address, then it is refused', async () => {
    const lookup: HostLookup = () => Promise.resolve([{ address: '8.8.8.8', family: 4 }]);
    const { error, dialled } = await withoutDialling(() =>
      guardedFetch('http://idp.example.test/metadata', policy(), { lookup }),
    );
    assert.equal(codeOf(error), 'outbound_forbidden_target');
    assert.deepEqual(dialled, []);
  });

  it('when a host resolves to several addresses and one is forbidden, then it is refused', async () => {
    const lookup: HostLookup = () =>
      Promise.resolve([
        { address: '8.8.8.8', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ]);
    const { error, dialled } = await withoutDialling(() =>
      guardedFetch('https://mixed.example.test/', policy(), { lookup }),
    );
    assert.equal(codeOf(error), 'outbound_forbidden_target');
    assert.deepEqual(dialled, []);
  });

  it('when DNS would answer differently on a second lookup, then the connection still goes to the checked address', async () => {
    let calls = 0;
    // A rebinding resolver: loopback once, then a private address.
    const lookup: HostLookup = () => {
      calls += 1;
      return Promise.resolve([{ address: calls === 1 ? '127.0.0.1' : '10.0.0.9', family: 4 }]);
    };
    seenHosts.length = 0;
    const res = await guardedFetch(`http://idp.rebind.test:${plain.port}/pinned`, policy(), {
      lookup,
    });
    assert.equal(res.status, 200);
    assert.equal(res.text(), 'hello from /pinned');
    assert.equal(calls, 1, 'resolved exactly once');
    assert.deepEqual(seenHosts, [`idp.rebind.test:${plain.port}`]);
  });

  it('when a server redirects to another loopback port, then the redirect is followed and re-checked', async () => {
    const res = await guardedFetch(`${hops.url}/to-other`, policy());
    assert.equal(res.status, 200);
    assert.equal(res.text(), 'other GET /landed');
    assert.equal(res.url, `${other.url}/landed`);
    const relative = await guardedFetch(`${hops.url}/relative`, policy());
    assert.equal(relative.text(), 'end of chain');
    const three = await guardedFetch(`${hops.url}/chain?n=3`, policy());
    assert.equal(three.text(), 'end of chain');
  });

  it('when a POST is answered 303, then the next hop is a GET', async () => {
    const res = await guardedFetch(`${hops.url}/see-other`, policy(), {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.text(), 'other GET /after-post');
  });

  it('when there are more than 3 redirects, then outbound_failed', async () => {
    await assert.rejects(guardedFetch(`${hops.url}/chain?n=4`, policy()), (e: unknown) => {
      assert.equal(codeOf(e), 'outbound_failed');
      return true;
    });
  });

  it('when a redirect points at a forbidden target, then it is refused before dialling it', async () => {
    const lookup: HostLookup = (hostname) =>
      Promise.resolve(
        hostname === 'rebound.example.test' ? [{ address: '192.168.0.10', family: 4 }] : [],
      );
    for (const path of ['/to-metadata-service', '/to-https-private', '/to-rebound-name']) {
      const served = hops.connections;
      // The first hop is to our own server on 127.0.0.1; nothing else may be dialled.
      const { error, dialled } = await withoutDialling(
        () => guardedFetch(`${hops.url}${path}`, policy(), { lookup }),
        { allow127001: true },
      );
      assert.equal(codeOf(error), 'outbound_forbidden_target', path);
      assert.deepEqual(dialled, [], path);
      assert.equal(hops.connections, served + 1, 'the first hop was served');
    }
  });

  it('when the server does not answer in time, then outbound_timeout', async () => {
    for (const path of ['/never', '/slow-body']) {
      await assert.rejects(
        guardedFetch(`${slow.url}${path}`, policy({ timeoutMs: 150 })),
        (e: unknown) => {
          assert.equal(codeOf(e), 'outbound_timeout', path);
          return true;
        },
      );
    }
  });

  it('when DNS does not answer in time, then outbound_timeout', async () => {
    const lookup: HostLookup = () => new Promise(() => undefined);
    const { error, dialled } = await withoutDialling(() =>
      guardedFetch('https://hung.example.test/', policy({ timeoutMs: 100 }), { lookup }),
    );
    assert.equal(codeOf(error), 'outbound_timeout');
    assert.deepEqual(dialled, []);
  });

  it('when a body is larger than maxResponseBytes, then response_too_large, declared or not', async () => {
    for (const path of ['/declared', '/chunked']) {
      await assert.rejects(
        guardedFetch(`${big.url}${path}`, policy({ maxResponseBytes: 64 * 1024 })),
        (e: unknown) => {
          assert.equal(codeOf(e), 'response_too_large', path);
          return true;
        },
      );
    }
    const fits = await guardedFetch(`${big.url}/chunked`, policy({ maxResponseBytes: 128 * 1024 }));
    assert.equal(fits.body.length, 128 * 1024);
  });

  it('when nothing listens on the port, then outbound_failed', async () => {
    const closed = await startLocalServer((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    await assert.rejects(guardedFetch(url, policy()), (e: unknown) => {
      assert.equal(codeOf(e), 'outbound_failed');
      return true;
    });
  });
});
