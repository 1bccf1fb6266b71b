// A node:test reporter that writes one line per test file: its wall seconds (from the
// previous top-level test's end, of any file, to each of its own; run one at a time this
// includes starting the process and importing, run two at a time it shares each moment
// with the neighbour), the sum of its top-level tests' durations, and whether it failed. Used by `TEST_DURATIONS=<file> npm test` (scripts/run-tests.mjs),
// sorted slowest first, then a total line.
import path from 'node:path';

export default async function* durations(source) {
  const started = Date.now();
  const files = new Map();
  let last = started;
  const fileOf = (data) => (data.file ? path.relative(process.cwd(), data.file) : '(no file)');
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const name = fileOf(event.data);
    const entry = files.get(name) ?? { wall: 0, tests: 0, failed: false, end: 0 };
    if (event.data.nesting === 0) {
      const now = Date.now();
      entry.wall += now - last;
      last = now;
      entry.tests += event.data.details?.duration_ms ?? 0;
    }
    if (event.type === 'test:fail') entry.failed = true;
    files.set(name, entry);
  }
  const rows = [...files.entries()].sort((a, b) => b[1].wall - a[1].wall);
  for (const [name, e] of rows) {
    const s = (ms) => (ms / 1000).toFixed(1).padStart(7);
    yield `${s(e.wall)} wall ${s(e.tests)} tests  ${e.failed ? 'FAIL ' : ''}${name}\n`;
  }
  yield `${((Date.now() - started) / 1000).toFixed(1)} s in all, ${rows.length} files\n`;
}
