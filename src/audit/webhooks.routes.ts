import { Router } from 'express';
import {
  adminResource,
  callerOf,
  ifMatchOf,
  principalOf,
  sendPage,
  sendVersioned,
  underOrg,
  uuidParam,
  withShownOnce,
} from '../platform/admin/index.js';
import { pageRequest } from '../platform/pagination.js';
import type { WebhookService } from './webhook-service.js';
import { presentDelivery, presentWebhook } from './webhook-view.js';

/** /api/v1/orgs/:orgId/webhooks */
export function webhooksRouter(webhooks: WebhookService): Router {
  const paths = underOrg('webhooks', 'webhookId', 'webhook');
  const router = adminResource(Router(), {
    ...paths,
    present: presentWebhook,
    create: async (...args) => {
      const { webhook, secret } = await webhooks.create(...args);
      return withShownOnce(webhook, { secret });
    },
    list: (orgId, query, principal) => webhooks.list(orgId, principal, pageRequest(query)),
    get: (...args) => webhooks.get(...args),
    update: (...args) => webhooks.update(...args),
    remove: (...args) => webhooks.remove(...args),
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/rotate-secret', async (req, res) => {
    const { webhook, secret } = await webhooks.rotateSecret(
      ...paths.key(req.params),
      ifMatchOf(req),
      ...callerOf(req, res),
    );
    sendVersioned(res, webhook, { ...presentWebhook(webhook), secret });
  });

  router.get('/orgs/:orgId/webhooks/:webhookId/deliveries', async (req, res) => {
    const { limit: _limit, cursor: _cursor, ...filters } = req.query;
    const page = await webhooks.listDeliveries(
      ...paths.key(req.params),
      filters,
      principalOf(res.locals),
      pageRequest(req.query),
    );
    sendPage(res, page, presentDelivery);
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/replay', async (req, res) => {
    const result = await webhooks.replay(...paths.key(req.params), req.body, ...callerOf(req, res));
    res.status(202).json({
      replayed: result.replayed,
      last_event_id: result.lastEventId,
      more: result.more,
    });
  });

  router.post('/orgs/:orgId/webhooks/:webhookId/deliveries/:deliveryId/retry', async (req, res) => {
    const delivery = await webhooks.retryDelivery(
      ...paths.key(req.params),
      uuidParam(req.params.deliveryId, 'delivery'),
      ...callerOf(req, res),
    );
    res.status(202).json(presentDelivery(delivery));
  });

  return router;
}
