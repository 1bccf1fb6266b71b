import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  createMetrics,
  loadSloFile,
  minEventsIn,
  parseSloFile,
  renderSloRules,
  SLO_RULES_FILE,
  SloFileError,
} from '../../src/metrics/index.js';

const run = promisify(execFile);
const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const SLO_FILE = root('config/slo.yaml');
const RULES_DIR = root('config/prometheus');
const TESTS_DIR = root('config/prometheus/tests');

/** promtool, or a failure that says what to install (never a skip). */
async function promtool(args: string[]) {
  try {
    return await run('promtool', args, { cwd: root(''), maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      assert.fail(
        "promtool is not installed: install Debian's prometheus package (apt-get update && apt-get install -y prometheus); .ci/run does this",
      );
    }
    assert.fail(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('SLO definitions and the Prometheus rules generated from them', () => {
  it('when config/slo.yaml is loaded, then it declares the SLOs the ads services rely on', () => {
    const file = loadSloFile(SLO_FILE);
    const byName = new Map(file.slos.map((s) => [s.name, s]));
    const login = byName.get('login_availability')!;
    assert.equal(login.objective, 0.999);
    assert.equal(login.errorBudget, 0.001);
    assert.equal(login.window.text, '30d');
    // Sign-in requests answered 5xx are bad, whatever answered them.
    assert.equal(login.sli.kind, 'events');
    assert.equal(login.sli.metric, 'http_server_request_duration_seconds_count');
    assert.ok(login.sli.bad.http_response_status_code?.includes('503'));
    const token = byName.get('token_latency')!;
    assert.deepEqual([token.objective, token.sli.kind], [0.99, 'latency']);
    assert.equal(token.sli.kind === 'latency' && token.sli.thresholdSeconds, 0.1);
    const introspection = byName.get('introspection_latency')!;
    assert.deepEqual([introspection.objective, introspection.sli.kind], [0.99, 'latency']);
    assert.equal(introspection.sli.kind === 'latency' && introspection.sli.thresholdSeconds, 0.025);
    // The minimum-traffic guard: latency SLOs only; sign-ins alert on any traffic.
    assert.deepEqual(
      file.slos.map((s) => [s.name, s.minEventsPerHour]),
      [
        ['login_availability', null],
        ['token_latency', 120],
        ['introspection_latency', 120],
      ],
    );
    assert.deepEqual(
      file.alerts.map((a) => [a.severity, a.factor, a.longWindow.text, a.shortWindow.text]),
      [
        ['page', 14.4, '1h', '5m'],
        ['page', 6, '6h', '30m'],
        ['ticket', 1, '3d', '6h'],
      ],
    );
  });

  it('when a latency SLO names a threshold, then the metric really has a bucket at it', async () => {
    const metrics = createMetrics();
    for (const slo of loadSloFile(SLO_FILE).slos) {
      const sli = slo.sli;
      if (sli.kind !== 'latency') continue;
      const histogram = metrics.registry.getSingleMetric(sli.metric);
      assert.ok(histogram, `${sli.metric} is registered`);
      (histogram as unknown as { observe(labels: object, v: number): void }).observe({}, 0);
      const boundaries = (await histogram.get()).values
        .filter((v) => (v as { metricName?: string }).metricName === `${sli.metric}_bucket`)
        .map((v) => Number(v.labels.le));
      assert.ok(
        boundaries.includes(sli.thresholdSeconds),
        `${sli.metric} has a bucket at ${sli.thresholdSeconds}`,
      );
    }
  });

  it('when config/slo.yaml is rendered, then the committed rules file is exactly that (fresh)', () => {
    const committed = readFileSync(`${RULES_DIR}/${SLO_RULES_FILE}`, 'utf8');
    assert.ok(
      committed === renderSloRules(loadSloFile(SLO_FILE)),
      `config/prometheus/${SLO_RULES_FILE} is stale: run npm run slo:rules and commit it`,
    );
  });

  it('when the rules are generated, then every SLO has its recording rules and one alert per burn-rate tier', () => {
    const { groups } = parseYaml(renderSloRules(loadSloFile(SLO_FILE))) as {
      groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
    };
    const alerts = groups.flatMap((g) => g.rules.filter((r) => r.alert));
    assert.equal(alerts.length, 9);
    const records = new Set(groups.flatMap((g) => g.rules.map((r) => r.record).filter(Boolean)));
    for (const w of ['5m', '30m', '1h', '6h', '3d', '30d'])
      assert.ok(records.has(`slo:sli_error:ratio_rate${w}`), w);
    assert.ok(records.has('slo:error_budget_remaining:ratio'));
  });

  it("when an SLO has a minimum-traffic guard, then each of its alerts requires it scaled to that alert's short window", () => {
    const file = loadSloFile(SLO_FILE);
    const token = file.slos.find((s) => s.name === 'token_latency')!;
    assert.deepEqual(
      file.alerts.map((a) => [a.shortWindow.text, minEventsIn(token, a.shortWindow)]),
      [
        ['5m', 10],
        ['30m', 60],
        ['6h', 720],
      ],
    );
    const { groups } = parseYaml(renderSloRules(file)) as {
      groups: Array<{
        rules: Array<{ alert?: string; expr: string; labels: Record<string, string> }>;
      }>;
    };
    const alerts = groups.flatMap((g) => g.rules.filter((r) => r.alert));
    const guardOf = (slo: string, shortWindow: string) =>
      alerts.find((r) => r.labels.slo === slo && r.labels.short_window === shortWindow)!.expr;
    assert.match(
      guardOf('token_latency', '5m'),
      /\nand on \(\)\nsum\(increase\(latchkey_oauth_token_duration_seconds_count\[5m\]\)\) >= 10$/,
    );
    assert.match(guardOf('token_latency', '6h'), /_count\[6h\]\)\) >= 720$/);
    assert.match(
      guardOf('introspection_latency', '30m'),
      /latchkey_oauth_introspection_duration_seconds_count\[30m\]\)\) >= 60$/,
    );
    // Without a guard the expression is the two burn-rate conditions alone.
    assert.doesNotMatch(guardOf('login_availability', '5m'), /increase/);
  });

  it('when promtool checks the rules and runs their unit tests, then both pass', async () => {
    await promtool(['check', 'rules', `${RULES_DIR}/${SLO_RULES_FILE}`]);
    const tests = readdirSync(TESTS_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `${TESTS_DIR}/${f}`);
    assert.ok(tests.length > 0, 'config/prometheus/tests/ holds rule tests');
    // One promtool per file, at once: each spends ~a minute of one core evaluating days of
    // one-minute samples, and the suite runs one test file at a time.
    const outputs = await Promise.all(tests.map((file) => promtool(['test', 'rules', file])));
    for (const { stdout } of outputs) assert.match(stdout, /SUCCESS/);
  });

  describe('an SLO file that is wrong is refused, naming the problem', () => {
    const base = readFileSync(SLO_FILE, 'utf8');
    const refused = (text: string, problem: RegExp) =>
      assert.throws(
        () => parseSloFile(text),
        (error: unknown) => error instanceof SloFileError && problem.test(error.message),
      );

    it('when a latency threshold is not a bucket boundary, then it is refused', () => {
      refused(base.replace('thresholdSeconds: 0.1', 'thresholdSeconds: 0.09'), /bucket boundary/);
    });

    it('when a latency SLO names a histogram without known buckets, then it is refused', () => {
      refused(
        base.replace('latchkey_oauth_token_duration_seconds', 'latchkey_made_up_seconds'),
        /must be one of/,
      );
    });

    it('when two SLOs share a name, then it is refused', () => {
      refused(base.replace('name: token_latency', 'name: login_availability'), /declared twice/);
    });

    it('when a window is not whole minutes, hours or days, then it is refused', () => {
      refused(base.replace('longWindow: 1h', 'longWindow: 90s'), /whole number/);
    });

    it('when minEventsPerHour is not a positive number, then it is refused, naming the key', () => {
      const guarded = (value: string) =>
        base.replace('minEventsPerHour: 120', `minEventsPerHour: ${value}`);
      refused(guarded('0'), /slos\.1\.minEventsPerHour: must be a positive number/);
      refused(guarded('-5'), /slos\.1\.minEventsPerHour: must be a positive number/);
      refused(guarded("'many'"), /slos\.1\.minEventsPerHour: must be a number of events an hour/);
    });

    it('when an alert short window is not shorter than its long window, then it is refused', () => {
      refused(base.replace('shortWindow: 5m', 'shortWindow: 2h'), /shorter/);
    });
  });
});
