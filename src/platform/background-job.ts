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
