import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SloRecorder } from '../../src/metrics/index.js';

export interface SloRecorderHarness {
  recorder: SloRecorder;
  /** A second recorder on the same shared store, as another Latchkey process has. */
  otherProcess: SloRecorder;
  teardown(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const W = {
  '5m': 5 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '6h': 6 * HOUR,
  '3d': 3 * DAY,
  '30d': 30 * DAY,
};
const ALL = Object.values(W);
/** 12:00:30 on a day; times are explicit, so Redis and memory run on the same fake time. */
const T0 = Date.UTC(2026, 2, 10, 12, 0, 30);

/**
 * The behaviour every SloRecorder must have (memory and Redis alike): what a window
 * holds as time slides, and that processes add up. Each test uses its own SLO name.
 */
export function sloRecorderContract(name: string, setup: () => Promise<SloRecorderHarness>): void {
  describe(`SloRecorder contract: ${name}`, () => {
    let h: SloRecorderHarness;
    let n = 0;
    const slo = () => `slo_${++n}`;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.teardown();
    });

    const totals = async (s: string, nowMs: number, recorder = h.recorder) =>
      (await recorder.windows(s, ALL, nowMs)).map((c) => c.total);

    it('when nothing was added, then every window is empty', async () => {
      assert.deepEqual(
        await h.recorder.windows(slo(), ALL, T0),
        ALL.map(() => ({ good: 0, total: 0 })),
      );
    });

    it('when events are added, then every window holding them sums good and total', async () => {
      const s = slo();
      await h.recorder.add(s, T0, { good: 9, total: 10 });
      await h.recorder.add(s, T0 + 20_000, { good: 0, total: 5 });
      assert.deepEqual(await h.recorder.windows(s, [W['5m'], W['30d']], T0 + 20_000), [
        { good: 9, total: 15 },
        { good: 9, total: 15 },
      ]);
    });

    it('when two processes add to the same minute, then each sees the sum', async () => {
      const s = slo();
      await h.recorder.add(s, T0, { good: 3, total: 4 });
      await h.otherProcess.add(s, T0 + 1000, { good: 5, total: 6 });
      const expected = [{ good: 8, total: 10 }];
      assert.deepEqual(await h.recorder.windows(s, [W['1h']], T0 + 2000), expected);
      assert.deepEqual(await h.otherProcess.windows(s, [W['1h']], T0 + 2000), expected);
    });

    it('when a window length has passed, then its events leave it, to the minute, and stay in longer windows', async () => {
      const s = slo();
      await h.recorder.add(s, T0, { good: 1, total: 1 });
      // 12:00:30 belongs to the minute 12:00; the 5m window ending 12:04:59 still has it.
      assert.deepEqual(await totals(s, T0 + 4 * MINUTE + 29_999), [1, 1, 1, 1, 1, 1]);
      assert.deepEqual(await totals(s, T0 + 4 * MINUTE + 30_000), [0, 1, 1, 1, 1, 1]);
      assert.deepEqual(await totals(s, T0 + 30 * MINUTE), [0, 0, 1, 1, 1, 1]);
      assert.deepEqual(await totals(s, T0 + HOUR), [0, 0, 0, 1, 1, 1]);
    });

    it('when more than 6 hours have passed, then the long windows still count the events, to the hour', async () => {
      const s = slo();
      await h.recorder.add(s, T0, { good: 2, total: 3 });
      assert.deepEqual(await totals(s, T0 + 6 * HOUR), [0, 0, 0, 0, 3, 3]);
      assert.deepEqual(await totals(s, T0 + 3 * DAY - HOUR), [0, 0, 0, 0, 3, 3]);
      // The 3d window at 12:xx three days later starts with the hour 13:00 of the first day.
      assert.deepEqual(await totals(s, T0 + 3 * DAY), [0, 0, 0, 0, 0, 3]);
      assert.deepEqual(await totals(s, T0 + 30 * DAY), [0, 0, 0, 0, 0, 0]);
    });

    it('when events keep coming for two days, then each window holds exactly its share', async () => {
      const s = slo();
      // One bad event at the start of every hour for 48 hours.
      for (let i = 0; i < 48; i++) await h.recorder.add(s, T0 + i * HOUR, { good: 0, total: 1 });
      assert.deepEqual(await totals(s, T0 + 47 * HOUR), [1, 1, 1, 6, 48, 48]);
    });

    it('when SLOs differ, then their events stay apart', async () => {
      const a = slo();
      const b = slo();
      await h.recorder.add(a, T0, { good: 1, total: 1 });
      assert.deepEqual(await totals(b, T0), [0, 0, 0, 0, 0, 0]);
      assert.deepEqual(await totals(a, T0), [1, 1, 1, 1, 1, 1]);
    });

    it('when no events are added, then nothing changes', async () => {
      const s = slo();
      await h.recorder.add(s, T0, { good: 0, total: 0 });
      assert.deepEqual(await totals(s, T0), [0, 0, 0, 0, 0, 0]);
    });
  });
}
