import type { Config } from '../platform/config/index.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createMetrics, type Metrics } from '../metrics/index.js';

/** What every composition step is given: configuration, logging, time and metrics. */
export interface Runtime {
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  /**
   * Registers what to close or stop when the app closes. Closers run in the reverse order
   * of registration: jobs stop before the stores they use close, the audit log is flushed
   * before the database closes.
   */
  onClose(closer: () => Promise<void>): void;
}

/** The runtime of one app, and the close that runs every registered closer. */
export function createRuntime(
  config: Config,
  deps: { logger?: Logger; clock?: Clock },
): Runtime & { close(): Promise<void> } {
  const logger = deps.logger ?? createLogger({ level: config.log.level });
  const closers: Array<() => Promise<void>> = [];
  return {
    config,
    logger,
    clock: deps.clock ?? systemClock,
    metrics: createMetrics({
      upstreamIdpByConnection: {
        enabled: config.metrics.upstreamLatencyByConnection,
        maxConnections: config.metrics.upstreamLatencyMaxConnections,
      },
    }),
    onClose: (closer) => closers.push(closer),
    async close() {
      for (const closer of closers.reverse())
        await closer().catch((error) => logger.warn({ err: error }, 'close failed'));
    },
  };
}
