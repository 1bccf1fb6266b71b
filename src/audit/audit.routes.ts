import { Router, type Response } from 'express';
import { callerOf, principalOf, sendPage, uuidParam } from '../platform/admin/index.js';
import { pageRequest } from '../platform/pagination.js';

/** Audit pages are keyed by the org chain's seq (commit order), not by id. */
const CHAIN_SEQ_CURSOR = /^[1-9]\d{0,17}$/;
import { MAX_AUDIT_PAGE_SIZE, type AuditQuery } from './audit-query.js';

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
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    res.status(200).set({
      'Content-Type': 'application/x-ndjson',
      'Content-Disposition': `attachment; filename="audit-events-${orgId}.ndjson"`,
    });
    // One keyset page in memory at a time; the next is read only once the client has
    // taken this one. A failure mid-stream aborts the response (no clean end), so a
    // truncated export cannot pass for a complete one.
    for await (const batch of exported.batches) {
      if (gone) return;
      const chunk = batch.map((event) => `${JSON.stringify(event)}\n`).join('');
      if (!res.write(chunk)) await writable(res);
    }
    res.end();
  });

  return router;
}
