import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { ActiveSessionLedger } from '../../src/metrics/index.js';

export interface ActiveSessionLedgerHarness {
  ledger: ActiveSessionLedger;
  /** A second ledger on the same shared store, as another Latchkey process has. */
  otherProcess: ActiveSessionLedger;
  teardown(): Promise<void>;
}

const HOUR = 3_600_000;
/** 12:10 on a day; times are explicit, so Redis and memory run on the same fake time. */
const T0 = Date.UTC(2026, 2, 10, 12, 10);

/**
 * The behaviour every ActiveSessionLedger must have (memory and Redis alike). Each test
 * gets a fresh store from setup().
 */
export function activeSessionLedgerContract(
  name: string,
  setup: () => Promise<ActiveSessionLedgerHarness>,
): void {
  describe(`ActiveSessionLedger contract: ${name}`, () => {
    let h: ActiveSessionLedgerHarness | undefined;
    const teardown = async () => {
      await h?.teardown();
      h = undefined;
    };
    beforeEach(async () => {
      await teardown();
      h = await setup();
    });
    after(teardown);

    it('when nothing opened, then the count is 0', async () => {
      assert.equal(await h!.ledger.count(T0), 0);
    });

    it('when sessions open, then each counts until the end of its expiry hour', async () => {
      const { ledger } = h!;
      await ledger.opened(T0 + 2 * HOUR); // expires 14:10: counted until 15:00
      await ledger.opened(T0 + 12 * HOUR);
      assert.equal(await ledger.count(T0), 2);
      assert.equal(await ledger.count(T0 + 2 * HOUR + 49 * 60_000), 2);
      assert.equal(await ledger.count(T0 + 2 * HOUR + 50 * 60_000), 1);
      assert.equal(await ledger.count(T0 + 13 * HOUR), 0);
    });

    it('when a session ends early, then it is no longer counted', async () => {
      const { ledger } = h!;
      await ledger.opened(T0 + HOUR);
      await ledger.opened(T0 + HOUR);
      await ledger.ended(T0 + HOUR);
      assert.equal(await ledger.count(T0), 1);
    });

    it('when two processes open and end sessions, then both see the same count', async () => {
      const { ledger, otherProcess } = h!;
      await ledger.opened(T0 + 8 * HOUR);
      await otherProcess.opened(T0 + 8 * HOUR);
      await otherProcess.opened(T0 + 20 * HOUR);
      await ledger.ended(T0 + 20 * HOUR);
      assert.equal(await ledger.count(T0), 2);
      assert.equal(await otherProcess.count(T0), 2);
    });

    it('when a session ends that was never seen opening, then the count does not go below 0', async () => {
      const { ledger } = h!;
      await ledger.ended(T0 + HOUR);
      assert.equal(await ledger.count(T0), 0);
    });
  });
}
