import type { Registry } from 'prom-client';
import type { SloFile } from './slo-definitions.js';
import type { SloRecorder } from './slo-recorder.js';
import { createSloReporter, type SloReporter } from './slo-report.js';
import { createSloSampler, type SloSampler } from './slo-sampler.js';

export interface SloService {
  reporter: SloReporter;
  sampler: SloSampler;
  /** Stops sampling after one last sample, so a graceful stop loses nothing counted. */
  stop(): Promise<void>;
}

/**
 * GET /slo's machinery for one process: a sampler that adds this process's SLO events to
 * the shared recorder every interval (off the request path), and the reporter.
 */
export function startSloService(deps: {
  file: SloFile;
  registry: Registry;
  recorder: SloRecorder;
  nowMs: () => number;
  sampleIntervalMs: number;
  onError: (error: unknown) => void;
}): SloService {
  const sampler = createSloSampler({
    slos: deps.file.slos,
    registry: deps.registry,
    recorder: deps.recorder,
    nowMs: deps.nowMs,
  });
  const reporter = createSloReporter({
    file: deps.file,
    recorder: deps.recorder,
    sampler,
    nowMs: deps.nowMs,
  });
  const timer = setInterval(() => {
    sampler.sample().catch(deps.onError);
  }, deps.sampleIntervalMs);
  timer.unref();
  return {
    reporter,
    sampler,
    async stop() {
      clearInterval(timer);
      await sampler.sample().catch(deps.onError);
      await deps.recorder.close();
    },
  };
}
