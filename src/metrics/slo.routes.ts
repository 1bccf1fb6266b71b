import { Router } from 'express';
import { errorStyle } from '../platform/error-style.js';
import { UnavailableError } from '../platform/errors.js';
import type { SloReporter } from './slo-report.js';

/**
 * GET /slo: each SLO's current SLI, remaining error budget and burn rates, for
 * deployments without Prometheus. Operational, like /metrics: unauthenticated, to be
 * reachable from the internal network only. 503 when the shared store does not answer.
 */
export function sloRouter(reporter: SloReporter): Router {
  const router = Router();
  router.get('/slo', errorStyle('problem'), async (_req, res) => {
    let report;
    try {
      report = await reporter.report();
    } catch (error) {
      throw new UnavailableError('slo store', error);
    }
    res.json(report);
  });
  return router;
}
