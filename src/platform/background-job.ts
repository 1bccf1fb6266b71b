/**
 * A job that runs `pass` every intervalMs (unref'd, never two passes at once) until
 * stopped; stop resolves once a pass under way has finished.
 */
export interface BackgroundJob {
  start: (intervalMs: number) => void;
  stop: () => Promise<void>;
}

export function backgroundJob(
  pass: () => Promise<unknown>,
  onError?: (error: unknown) => void,
): BackgroundJob {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  return {
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = pass()
          .then(() => undefined)
          .catch((error: unknown) => onError?.(error))
          .finally(() => {
            running = null;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

/**
 * A job that works through a queue in batches: runOnce drains it (at most maxBatches
 * batches) and resolves with how many items it took; start and stop run it in the
 * background.
 */
export interface BatchJob extends BackgroundJob {
  runOnce: (options?: { maxBatches?: number }) => Promise<number>;
}

export function batchJob(
  /** One batch; resolves with how many items it took (fewer than batchSize: drained). */
  runBatch: () => Promise<number>,
  options: {
    batchSize: number;
    /** The most batches one background pass runs, so a busy process yields to others. */
    maxBatchesPerPass: number;
    /** Told the count of every batch. */
    onBatch?: (items: number) => void;
    onError?: (error: unknown) => void;
  },
): BatchJob {
  const runOnce = async ({ maxBatches }: { maxBatches?: number } = {}) => {
    let total = 0;
    for (let batch = 0; batch < (maxBatches ?? Infinity); batch++) {
      const items = await runBatch();
      options.onBatch?.(items);
      total += items;
      if (items < options.batchSize) break;
    }
    return total;
  };
  const job = backgroundJob(
    () => runOnce({ maxBatches: options.maxBatchesPerPass }),
    options.onError,
  );
  return { runOnce, start: job.start, stop: job.stop };
}
