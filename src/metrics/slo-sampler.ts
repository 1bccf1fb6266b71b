import type { Registry } from 'prom-client';
import { matches, type SloDefinition } from './slo-definitions.js';
import type { EventCounts, SloRecorder } from './slo-recorder.js';

interface SeriesValue {
  labels: Record<string, string | number | undefined>;
  value: number;
  metricName?: string;
}

/**
 * Feeds the SloRecorder from this process's own Prometheus metrics: at each sample, the
 * events counted since the previous sample (good and total, by the SLI's definition in
 * config/slo.yaml) are added to the shared store. Nothing on the request path waits for
 * it, and an SLI reads exactly what Prometheus reads. A sample that cannot be stored
 * (Redis down) is not lost: the next one carries it.
 */
export interface SloSampler {
  /** Stores what happened since the last sample, at nowMs. One sample at a time. */
  sample(): Promise<void>;
}

export function createSloSampler(deps: {
  slos: SloDefinition[];
  registry: Registry;
  recorder: SloRecorder;
  nowMs: () => number;
}): SloSampler {
  const { slos, registry, recorder } = deps;
  // An events SLI may count a histogram's observations: its _count series.
  const registered = (slo: SloDefinition) =>
    slo.sli.kind === 'events' && slo.sli.metric.endsWith('_count')
      ? slo.sli.metric.slice(0, -'_count'.length)
      : slo.sli.metric;
  for (const slo of slos) {
    if (!registry.getSingleMetric(registered(slo))) {
      throw new Error(`SLO ${slo.name}: no metric ${registered(slo)} is registered`);
    }
  }
  const stored = new Map<string, EventCounts>();

  const cumulative = async (slo: SloDefinition): Promise<EventCounts> => {
    const metric = registry.getSingleMetric(registered(slo))!;
    const values = (await metric.get()).values as SeriesValue[];
    const sli = slo.sli;
    let good = 0;
    let total = 0;
    if (sli.kind === 'events') {
      for (const v of values) {
        if ((v.metricName ?? sli.metric) !== sli.metric) continue;
        if (!matches(v.labels, sli.filter)) continue;
        total += v.value;
        if (!matches(v.labels, sli.bad)) good += v.value;
      }
    } else {
      for (const v of values) {
        if (!matches(v.labels, sli.filter)) continue;
        if (v.metricName === `${sli.metric}_count`) total += v.value;
        if (v.metricName === `${sli.metric}_bucket` && Number(v.labels.le) === sli.thresholdSeconds)
          good += v.value;
      }
    }
    return { good, total };
  };

  const sampleAll = async () => {
    const atMs = deps.nowMs();
    for (const slo of slos) {
      const now = await cumulative(slo);
      const before = stored.get(slo.name) ?? { good: 0, total: 0 };
      const delta = { good: now.good - before.good, total: now.total - before.total };
      if (delta.total > 0) await recorder.add(slo.name, atMs, delta);
      stored.set(slo.name, now);
    }
  };

  let running: Promise<void> = Promise.resolve();
  return {
    sample() {
      // Serialised: two overlapping samples would add the same events twice.
      const next = running.then(sampleAll, sampleAll);
      running = next.catch(() => undefined);
      return next;
    },
  };
}
