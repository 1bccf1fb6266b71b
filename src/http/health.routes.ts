import { Router } from 'express';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  /** The dependency's name as operators know it: "postgres", "redis". */
  name: string;
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 1000;

async function probe(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: the process is alive (no dependency is consulted, so a Redis outage never
 * gets healthy processes restarted). /readyz: every dependency answers, else 503 naming
 * the ones that do not. Served on the public and the management listener alike.
 */
export function healthRouter(options: { checks: ReadinessCheck[] }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.checks.map(async (c) => [c.name, await probe(c)] as const),
    );
    const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
    res.status(failed.length ? 503 : 200).json({
      status: failed.length ? 'unavailable' : 'ok',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failed'])),
      ...(failed.length ? { failed } : {}),
    });
  });
  return router;
}

/** /metrics: Prometheus exposition, on the management listener only (management-app.ts). */
export function metricsRouter(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
