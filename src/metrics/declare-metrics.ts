import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Declares instruments in one registry (never the global one), so each declaration
 * states only what tells it apart: name, help, label names and, for a histogram, buckets.
 */
export interface MetricDeclarations {
  counter<L extends string = string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
  ): Counter<L>;
  /** A gauge without labels; collect, when given, sets its value at every scrape. */
  gauge(name: string, help: string, collect?: (this: Gauge) => Promise<void>): Gauge;
  histogram<L extends string = string>(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames?: readonly L[],
  ): Histogram<L>;
}

export function declareMetrics(registry: Registry): MetricDeclarations {
  return {
    counter: (name, help, labelNames = []) =>
      new Counter({ name, help, labelNames, registers: [registry] }),
    gauge: (name, help, collect) => new Gauge({ name, help, collect, registers: [registry] }),
    histogram: (name, help, buckets, labelNames = []) =>
      new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] }),
  };
}
