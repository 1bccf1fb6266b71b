/** Library chatter (samlify's console.warn on entity construction) kept out of the logs. */
export function withoutConsole<T>(fn: () => T): T {
  const quiet = { log: console.log, error: console.error, warn: console.warn };
  console.log = console.error = console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
    console.warn = quiet.warn;
  }
}
