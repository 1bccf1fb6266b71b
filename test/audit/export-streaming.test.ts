import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import express from 'express';
import { auditRouter, type AuditQuery, type PublicAuditEvent } from '../../src/audit/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { startLocalServer, type LocalServer } from '../support/local-http.js';

const ORG = uuidv7();
const BATCHES = 50;
/** About 1 MB a batch: far more than socket buffers hold, so backpressure must bite. */
const PER_BATCH = 1000;

const event = (i: number): PublicAuditEvent => ({
  id: uuidv7(),
  org_id: ORG,
  occurred_at: new Date(0).toISOString(),
  type: 'session.created',
  schema_version: 1,
  actor: { type: 'user', id: null },
  target: { type: 'session', id: String(i) },
  outcome: 'success',
  reason: null,
  request_id: null,
  ip: null,
  user_agent: null,
  data: { padding: 'x'.repeat(900) },
});

/**
 * The export route over a fake query whose batches say how far they were read and
 * when the route let go of them: the route's streaming alone, without a database.
 */
function exportOver(failAfter: number | null) {
  let pulled = 0;
  let released!: () => void;
  const done = new Promise<void>((resolve) => (released = resolve));
  async function* batches() {
    try {
      for (let b = 0; b < BATCHES; b++) {
        if (failAfter !== null && b === failAfter) throw new Error('database went away');
        pulled += 1;
        yield Array.from({ length: PER_BATCH }, (_, i) => event(b * PER_BATCH + i));
        await Promise.resolve();
      }
    } finally {
      released();
    }
  }
  const query: AuditQuery = {
    list: () => Promise.reject(new Error('unused')),
    eventsAboutUser: () => Promise.reject(new Error('unused')),
    export: () => Promise.resolve({ count: BATCHES * PER_BATCH, batches: batches() }),
  };
  const app = express();
  app.use((_req, res, next) => {
    res.locals.principal = { scope: 'platform:admin', keyId: uuidv7() };
    next();
  });
  app.use(auditRouter(query));
  return { app, done, pulled: () => pulled };
}

/** GET the export; resolves once the response is over, however it ended. */
function fetchExport(
  server: LocalServer,
  onFirstChunk: (req: http.ClientRequest) => void = () => undefined,
) {
  return new Promise<{ complete: boolean; bytes: number; status: number }>((resolve) => {
    const req = http.get(`${server.url}/orgs/${ORG}/audit-events/export`, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0) onFirstChunk(req);
        bytes += chunk.length;
      });
      res.on('error', () => undefined);
      res.on('close', () => resolve({ complete: res.complete, bytes, status: res.statusCode! }));
    });
    req.on('error', () => resolve({ complete: false, bytes: 0, status: 0 }));
  });
}

describe('audit export streaming', () => {
  const servers: LocalServer[] = [];
  const serve = async (app: express.Express) => {
    const server = await startLocalServer(app);
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.close();
  });

  it('when the client reads it all, then every batch arrives and the response ends cleanly', async () => {
    const { app, done, pulled } = exportOver(null);
    const result = await fetchExport(await serve(app));
    await done;
    assert.equal(result.status, 200);
    assert.equal(result.complete, true);
    assert.equal(pulled(), BATCHES);
  });

  it('when the client goes away after the first chunk, then the route stops reading batches', async () => {
    const { app, done, pulled } = exportOver(null);
    const result = await fetchExport(await serve(app), (req) => req.destroy());
    // The generator is released (its finally ran): the route let go of the export.
    await done;
    assert.equal(result.complete, false);
    assert.ok(pulled() < BATCHES, `read ${pulled()} of ${BATCHES} batches for a client that left`);
  });

  it('when reading fails part way, then the response is cut off, never ended cleanly', async () => {
    const { app, done, pulled } = exportOver(2);
    const result = await fetchExport(await serve(app));
    await done;
    assert.equal(pulled(), 2);
    assert.equal(result.status, 200);
    assert.ok(result.bytes > 0);
    assert.equal(result.complete, false, 'a truncated export does not look complete');
  });
});
