/** Time as a dependency, so anything that expires can be tested with a fake clock. */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
};

/** A clock that moves only when told to. */
export function createFakeClock(start: Date | number = Date.UTC(2026, 0, 1)): Clock & {
  advance(ms: number): void;
  set(to: Date | number): void;
} {
  let current = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (to) => {
      current = typeof to === 'number' ? to : to.getTime();
    },
  };
}
