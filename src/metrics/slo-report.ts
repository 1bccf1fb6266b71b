import { minEventsIn, type SloFile } from './slo-definitions.js';
import type { SloRecorder } from './slo-recorder.js';
import type { SloSampler } from './slo-sampler.js';

/** GET /slo: each SLO as this moment sees it (documented in openapi.yaml, SloReport). */
export interface SloReport {
  evaluated_at: string;
  slos: SloStatus[];
}

export interface SloStatus {
  name: string;
  description: string;
  /** Target fraction of good events. */
  objective: number;
  window: string;
  /** Fraction of good events over the SLO window; null when there were none. */
  sli: number | null;
  good_events: number;
  total_events: number;
  /**
   * Share of the window's error budget left: 1 untouched, 0 spent, below 0 overspent
   * (1 when there were no events).
   */
  error_budget_remaining: number;
  /**
   * Error ratio over each window divided by the error budget (1 − objective): 1 spends
   * the budget exactly by the end of the SLO window, 14.4 spends 2 % of 30 days in 1 h.
   * Null for a window without events.
   */
  burn_rates: Record<string, number | null>;
  /** The multi-window burn-rate alerts of config/slo.yaml, as Prometheus would see them. */
  alerts: Array<{
    severity: 'page' | 'ticket';
    burn_rate_threshold: number;
    long_window: string;
    short_window: string;
    /** The minimum-traffic guard: events the short window must hold to fire (0: none). */
    min_events: number;
    firing: boolean;
  }>;
}

export interface SloReporter {
  report(): Promise<SloReport>;
}

const round = (x: number) => Number(x.toPrecision(10));

/**
 * Evaluates every SLO over sliding windows of the shared recorder. This process's own
 * latest events are sampled first, so a report never lags what this process has seen
 * (other processes' events arrive with their next sample, every few seconds).
 */
export function createSloReporter(deps: {
  file: SloFile;
  recorder: SloRecorder;
  sampler: SloSampler;
  nowMs: () => number;
}): SloReporter {
  const { file, recorder, sampler } = deps;
  const alertWindows = [
    ...new Map(
      file.alerts.flatMap((a) => [a.shortWindow, a.longWindow]).map((w) => [w.text, w]),
    ).values(),
  ].sort((a, b) => a.ms - b.ms);

  return {
    async report() {
      await sampler.sample();
      const nowMs = deps.nowMs();
      const slos = await Promise.all(
        file.slos.map(async (slo): Promise<SloStatus> => {
          const windows = [...alertWindows.filter((w) => w.text !== slo.window.text), slo.window];
          const counts = await recorder.windows(
            slo.name,
            windows.map((w) => w.ms),
            nowMs,
          );
          const burnRates: Record<string, number | null> = {};
          const events: Record<string, number> = {};
          windows.forEach((w, i) => {
            const c = counts[i]!;
            events[w.text] = c.total;
            burnRates[w.text] = c.total
              ? round((c.total - c.good) / c.total / slo.errorBudget)
              : null;
          });
          const whole = counts[counts.length - 1]!;
          const burn = (w: string) => burnRates[w] ?? 0;
          return {
            name: slo.name,
            description: slo.description,
            objective: slo.objective,
            window: slo.window.text,
            sli: whole.total ? round(whole.good / whole.total) : null,
            good_events: whole.good,
            total_events: whole.total,
            error_budget_remaining: round(1 - (burnRates[slo.window.text] ?? 0)),
            burn_rates: burnRates,
            alerts: file.alerts.map((a) => {
              // The same three conditions as the Prometheus alert (prometheus-rules.ts).
              const minEvents = minEventsIn(slo, a.shortWindow);
              return {
                severity: a.severity,
                burn_rate_threshold: a.factor,
                long_window: a.longWindow.text,
                short_window: a.shortWindow.text,
                min_events: minEvents,
                firing:
                  burn(a.longWindow.text) > a.factor &&
                  burn(a.shortWindow.text) > a.factor &&
                  events[a.shortWindow.text]! >= minEvents,
              };
            }),
          };
        }),
      );
      return { evaluated_at: new Date(nowMs).toISOString(), slos };
    },
  };
}
