import { Router } from 'express';
import {
  contextOf,
  etagOf,
  expectedVersion,
  principalOf,
  uuidParam,
} from '../platform/admin/index.js';
import { pageRequest } from '../platform/pagination.js';
import type { WebhookService } from './webhook-service.js';
import { presentDelivery, presentWebhook } from './webhook-view.js';

/** /api/v1/orgs/:orgId/webhooks */
export function webhooksRouter(webhooks: WebhookService): Router {
  const router = Router();
  const ids = (params: Record<string, string | undefined>) =>
    [uuidParam(params.orgId, 'org'), uuidParam(params.webhookId, 'webhook')] as const;

  router.post('/orgs/:orgId/webhooks', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const { webhook, secret } = await webhooks.create(
      orgId,
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res
      .status(201)
      .location(`/api/v1/orgs/${orgId}/webhooks/${webhook.id}`)
      .set('ETag', etagOf(webhook.version))
      .json({ ...presentWebhook(webhook), secret });
  });

  router.get('/orgs/:orgId/webhooks', async (req, res) => {
    const orgId = uuidParam(req.params.orgId, 'org');
    const page = await webhooks.list(orgId, principalOf(res.locals), pageRequest(req.query));
    res.json({ items: page.items.map(presentWebhook), next_cursor: page.nextCursor });
  });

  router.get('/orgs/:orgId/webhooks/:webhookId', async (req, res) => {
    const webhook = await webhooks.get(...ids(req.params), principalOf(res.locals));
    res.set('ETag', etagOf(webhook.version)).json(presentWebhook(webhook));
  });

  router.patch('/orgs/:orgId/webhooks/:webhookId', async (req, res) => {
    const webhook = await webhooks.update(
      ...ids(req.params),
      req.body,
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(webhook.version)).json(presentWebhook(webhook));
  });

  router.delete('/orgs/:orgId/webhooks/:webhookId', async (req, res) => {
    await webhooks.remove(
      ...ids(req.params),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(204).end();
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/rotate-secret', async (req, res) => {
    const { webhook, secret } = await webhooks.rotateSecret(
      ...ids(req.params),
      expectedVersion(req.get('if-match')),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.set('ETag', etagOf(webhook.version)).json({ ...presentWebhook(webhook), secret });
  });

  router.get('/orgs/:orgId/webhooks/:webhookId/deliveries', async (req, res) => {
    const { limit: _limit, cursor: _cursor, ...filters } = req.query;
    const page = await webhooks.listDeliveries(
      ...ids(req.params),
      filters,
      principalOf(res.locals),
      pageRequest(req.query),
    );
    res.json({ items: page.items.map(presentDelivery), next_cursor: page.nextCursor });
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/replay', async (req, res) => {
    const result = await webhooks.replay(
      ...ids(req.params),
      req.body,
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(202).json({
      replayed: result.replayed,
      last_event_id: result.lastEventId,
      more: result.more,
    });
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/deliveries/:deliveryId/retry', async (req, res) => {
    const delivery = await webhooks.retryDelivery(
      ...ids(req.params),
      uuidParam(req.params.deliveryId, 'delivery'),
      principalOf(res.locals),
      contextOf(req, res.locals),
    );
    res.status(202).json(presentDelivery(delivery));
  });

  return router;
}
