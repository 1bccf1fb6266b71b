import { Router, type Response } from 'express';
import { callerOf, principalOf, sendPage, uuidParam } from '../platform/admin/index.js';
import { pageRequest } from '../platform/pagination.js';
import { MAX_AUDIT_PAGE_SIZE, type AuditQuery } from './audit-query.js';
import type { PublicAuditEvent } from './public-event.js';

/** Audit pages are keyed by the org chain's seq (commit order), not by id. */
export const CHAIN_SEQ_CURSOR = /^[1-9]\d{0,17}$/;

/** One JSON line per event. */
export const ndjsonLines = (batch: PublicAuditEvent[]) =>
  batch.map((event) => `${JSON.stringify(event)}\n`).join('');

/** Resolves when the response can take more (or the client has gone). */
const writable = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * Writes an export's batches, each encoded to one chunk: one keyset page in memory at a
 * time; the next is read only once the client has taken this one. A failure mid-stream
 * aborts the response (no clean end), so a truncated export cannot pass for a complete one.
 */
export async function streamBatches(
  res: Response,
  batches: AsyncIterable<PublicAuditEvent[]>,
  encode: (batch: PublicAuditEvent[]) => string,
) {
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  for await (const batch of batches) {
    if (gone) return;
    if (!res.write(encode(batch))) await writable(res);
  }
  res.end();
}

/**
 * /api/v1/orgs/{orgId}/audit-events: an org's audit trail, filtered, as cursor pages or
 * as one NDJSON export streamed a keyset page at a time.
 */
export function auditRouter(query: AuditQuery): Router {
  const router = Router();

  router.get('/orgs/:orgId/audit-events', async (req, res) => {
    const page = await query.list(
      uuidParam(req.params.orgId, 'org'),
      req.query,
      principalOf(res.locals),
      pageRequest(req.query, CHAIN_SEQ_CURSOR, MAX_AUDIT_PAGE_SIZE),
    );
    sendPage(res, page);
  });

  router.get('/orgs/:orgId/audit-events/export', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const exported = await query.export(orgId, req.query, ...callerOf(req, res));
    res.status(200).set({
      'Content-Type': 'application/x-ndjson',
      'Content-Disposition': `attachment; filename="audit-events-${orgId}.ndjson"`,
    });
    await streamBatches(res, exported.batches, ndjsonLines);
  });

  return router;
}
