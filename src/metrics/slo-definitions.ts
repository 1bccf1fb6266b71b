import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SLO_HISTOGRAM_BUCKETS } from './registry.js';
import { FINE_WINDOW_LIMIT_MS, HOUR_MS, MINUTE_MS } from './slo-buckets.js';

/**
 * config/slo.yaml, parsed and checked. One definition, two evaluators: the generator
 * turns it into Prometheus recording rules and burn-rate alerts (config/prometheus/), and
 * GET /slo evaluates the same SLIs in process from the same metrics. Either way an SLI
 * is a ratio of events:
 *   events   good = all − bad, from a counter (or a histogram's _count) and label
 *            matchers for the bad ones
 *   latency  good = requests faster than a threshold, read off the histogram bucket
 *            le="threshold" (so the threshold must be one of its bucket boundaries)
 */

/** Label matchers: the label equals the value, or one of the values of a list. */
export type LabelMatchers = Record<string, string[]>;

export type SliDefinition =
  | { kind: 'events'; metric: string; filter: LabelMatchers; bad: LabelMatchers }
  | { kind: 'latency'; metric: string; filter: LabelMatchers; thresholdSeconds: number };

export interface SloDefinition {
  name: string;
  description: string;
  /** Target fraction of good events, e.g. 0.999. */
  objective: number;
  /** 1 − objective, rounded clear of floating-point noise (0.001, not 0.0010000000000000009). */
  errorBudget: number;
  window: Window;
  sli: SliDefinition;
  /**
   * The minimum-traffic guard: a burn-rate alert fires only when its short window saw at
   * least this many events an hour on average (minEventsIn), so a handful of slow
   * requests after a start cannot page. Null: no guard.
   */
  minEventsPerHour: number | null;
}

export interface Window {
  /** As written: 5m, 1h, 30d. */
  text: string;
  ms: number;
}

export interface BurnRateAlert {
  severity: 'page' | 'ticket';
  /** How many times faster than "exactly spent at the end of the window" the budget burns. */
  factor: number;
  longWindow: Window;
  shortWindow: Window;
}

export interface SloFile {
  slos: SloDefinition[];
  alerts: BurnRateAlert[];
}

const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: 24 * HOUR_MS } as const;

const window = z
  .string()
  .regex(/^[1-9][0-9]*[mhd]$/, 'must be a whole number of minutes, hours or days: 5m, 6h, 30d')
  .transform((text, ctx): Window => {
    const ms = Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];
    // Windows beyond 6 h are summed from hour buckets (slo-buckets.ts).
    if (ms > FINE_WINDOW_LIMIT_MS && ms % HOUR_MS !== 0) {
      ctx.addIssue({ code: 'custom', message: 'windows over 6h must be whole hours' });
    }
    return { text, ms };
  });

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
const labelValue = z.union([
  z.string().regex(/^[A-Za-z0-9_.:/+-]+$/, 'letters, digits and _.:/+- only'),
  // A status code written without quotes.
  z.number().transform(String),
]);
const matchers = z
  .record(labelName, z.union([labelValue, z.array(labelValue).min(1)]))
  .default({})
  .transform((m): LabelMatchers =>
    Object.fromEntries(
      Object.entries(m).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]] as const),
    ),
  );
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);

const sloSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower_snake_case'),
  description: z.string().min(1),
  objective: z.number().gt(0).lt(100),
  window,
  minEventsPerHour: z
    .number({ error: 'must be a number of events an hour, e.g. 120' })
    .positive('must be a positive number of events an hour (leave it out for no guard)')
    .max(1e9, 'must be at most 1e9 events an hour')
    .optional(),
  sli: z.union([
    z.strictObject({
      events: z.strictObject({
        metric: metricName.refine(
          (m) => m.endsWith('_total') || m.endsWith('_count'),
          'must be a counter (_total) or the _count of a histogram',
        ),
        filter: matchers,
        bad: matchers.refine((m) => Object.keys(m).length > 0, 'name the bad events'),
      }),
    }),
    z.strictObject({
      latency: z.strictObject({
        metric: metricName.refine((m) => m in SLO_HISTOGRAM_BUCKETS, {
          message: `must be one of ${Object.keys(SLO_HISTOGRAM_BUCKETS).join(', ')}`,
        }),
        filter: matchers,
        thresholdSeconds: z.number().positive(),
      }),
    }),
  ]),
});

const fileSchema = z.strictObject({
  slos: z.array(sloSchema).min(1),
  alerts: z
    .array(
      z.strictObject({
        severity: z.enum(['page', 'ticket']),
        factor: z.number().positive(),
        longWindow: window,
        shortWindow: window,
      }),
    )
    .min(1),
});

export class SloFileError extends Error {
  readonly code = 'slo_file_invalid';
}

/** Parses the text of an SLO file; throws SloFileError naming every problem. */
export function parseSloFile(text: string, source = 'slo.yaml'): SloFile {
  const parsed = fileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    throw new SloFileError(
      `${source} is invalid:\n${parsed.error.issues
        .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n')}`,
    );
  }
  const problems: string[] = [];
  const names = new Set<string>();
  const slos = parsed.data.slos.map((s, i): SloDefinition => {
    if (names.has(s.name)) problems.push(`slos.${i}.name: ${s.name} is declared twice`);
    names.add(s.name);
    const sli: SliDefinition =
      'events' in s.sli
        ? { kind: 'events', ...s.sli.events }
        : { kind: 'latency', ...s.sli.latency };
    if (
      sli.kind === 'latency' &&
      !SLO_HISTOGRAM_BUCKETS[sli.metric]!.includes(sli.thresholdSeconds)
    )
      problems.push(
        `slos.${i}.sli.latency.thresholdSeconds: ${sli.thresholdSeconds} is not a bucket boundary of ${sli.metric} (${SLO_HISTOGRAM_BUCKETS[sli.metric]!.join(', ')})`,
      );
    return {
      name: s.name,
      description: s.description,
      objective: round(s.objective / 100),
      errorBudget: round((100 - s.objective) / 100),
      window: s.window,
      sli,
      minEventsPerHour: s.minEventsPerHour ?? null,
    };
  });
  parsed.data.alerts.forEach((a, i) => {
    if (a.shortWindow.ms >= a.longWindow.ms)
      problems.push(`alerts.${i}: shortWindow must be shorter than longWindow`);
  });
  if (problems.length)
    throw new SloFileError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return { slos, alerts: parsed.data.alerts };
}

export function loadSloFile(file: string): SloFile {
  return parseSloFile(readFileSync(file, 'utf8'), file);
}

const round = (x: number) => Number(x.toPrecision(12));

/**
 * How many events a window must hold for a burn-rate alert whose short window it is to
 * fire: minEventsPerHour scaled to the window (120 an hour: 10 in 5m, 720 in 6h); 0
 * without a guard. Both evaluators (the Prometheus rules and GET /slo) apply it.
 */
export const minEventsIn = (slo: SloDefinition, window: Window): number =>
  slo.minEventsPerHour === null ? 0 : round((slo.minEventsPerHour * window.ms) / HOUR_MS);

/** Whether a series' labels satisfy every matcher. */
export const matches = (
  labels: Record<string, string | number | undefined>,
  matchers: LabelMatchers,
) =>
  Object.entries(matchers).every(([name, values]) => values.includes(String(labels[name] ?? '')));

/** The longest window any SLO or alert of the file reads: how long counts must be kept. */
export const longestWindowMs = (file: SloFile) =>
  Math.max(...file.slos.map((s) => s.window.ms), ...file.alerts.map((a) => a.longWindow.ms));
