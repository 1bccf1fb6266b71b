import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ConfigError, loadConfig, type ConfigIssue } from '../../src/platform/config/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG_DIR = path.join(ROOT, 'config');

/** Runs loadConfig expecting a refusal; returns the ConfigError. */
function refusal(env: NodeJS.ProcessEnv, configDir?: string): ConfigError {
  let caught: unknown;
  try {
    loadConfig({ env, ...(configDir ? { configDir } : {}) });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.code, 'config_invalid');
  return caught;
}

const pathsOf = (issues: ConfigIssue[]) => issues.map((issue) => issue.path).sort();

/** Every production requirement met: the starting point the refusal tests break one at a time. */
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://latchkey@db.example.com:5432/latchkey',
  REDIS_URL: 'rediss://cache.example.com:6380',
  LATCHKEY_SERVER_ISSUER: 'https://sso.example.com',
  LATCHKEY_SECRETS_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  LATCHKEY_SECRETS_AUDIT_PSEUDONYM_KEY: Buffer.alloc(32, 8).toString('base64'),
} as const;

const without = (env: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));

describe('loadConfig', () => {
  let tmp: string;
  let n = 0;
  /** Writes YAML to a fresh temp file and returns its path (for LATCHKEY_CONFIG_FILE). */
  const yamlFile = async (text: string) => {
    n += 1;
    const file = path.join(tmp, `config-${n}.yaml`);
    await writeFile(file, text);
    return file;
  };

  before(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'latchkey-config-'));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('defaults and overrides', () => {
    it('when NODE_ENV is unset, then config/default.yaml loads as development', () => {
      const config = loadConfig({ env: {} });
      assert.equal(config.env, 'development');
      assert.equal(config.database.url, '');
      assert.equal(config.redis.url, '');
      assert.equal(config.server.port, 3000);
      assert.equal(config.server.issuer, 'http://localhost:3000');
      assert.equal(config.keys.generateIfMissing, true);
      assert.equal(config.demo.enabled, true);
      const documented = parseYaml(
        readFileSync(path.join(CONFIG_DIR, 'default.yaml'), 'utf8'),
      ) as object;
      assert.deepEqual(config, { env: 'development', ...documented });
    });

    it('when NODE_ENV is test, then config/test.yaml applies over the defaults', () => {
      const config = loadConfig({ env: { NODE_ENV: 'test' } });
      assert.equal(config.env, 'test');
      assert.equal(config.log.level, 'silent');
      assert.equal(config.demo.enabled, false);
      assert.equal(config.keys.minPublishedSecondsBeforeSigning, 0);
    });

    it('when LATCHKEY_ variables are set, then they override with the type of the default', () => {
      const config = loadConfig({
        env: {
          LATCHKEY_SERVER_BODY_LIMIT_BYTES: '2048',
          LATCHKEY_DEMO_ENABLED: 'false',
          LATCHKEY_SERVER_HOST: '0.0.0.0',
          LATCHKEY_KEYS_MIN_PUBLISHED_SECONDS_BEFORE_SIGNING: '60',
          LATCHKEY_REDIS_KEY_PREFIX: 'lk:',
        },
      });
      assert.equal(config.server.bodyLimitBytes, 2048);
      assert.equal(config.demo.enabled, false);
      assert.equal(config.server.host, '0.0.0.0');
      assert.equal(config.keys.minPublishedSecondsBeforeSigning, 60);
      assert.equal(config.redis.keyPrefix, 'lk:');
    });

    it('when DATABASE_URL, REDIS_URL and PORT are set, then they set database.url, redis.url and server.port', () => {
      const config = loadConfig({
        env: {
          DATABASE_URL: 'postgres://u@127.0.0.1:5432/latchkey',
          REDIS_URL: 'redis://127.0.0.1:6379/2',
          PORT: '8080',
        },
      });
      assert.equal(config.database.url, 'postgres://u@127.0.0.1:5432/latchkey');
      assert.equal(config.redis.url, 'redis://127.0.0.1:6379/2');
      assert.equal(config.server.port, 8080);
    });

    it('when LATCHKEY_CONFIG_FILE names a YAML file, then it applies over the defaults and variables win over it', async () => {
      const file = await yamlFile('server:\n  port: 4100\n  host: 0.0.0.0\nlog:\n  level: debug\n');
      const config = loadConfig({
        env: { LATCHKEY_CONFIG_FILE: file, LATCHKEY_LOG_LEVEL: 'warn' },
      });
      assert.equal(config.server.port, 4100);
      assert.equal(config.server.host, '0.0.0.0');
      assert.equal(config.log.level, 'warn');
    });

    it('when configDir is given, then its default.yaml is the base', async () => {
      const dir = await mkdtemp(path.join(tmp, 'dir-'));
      const text = readFileSync(path.join(CONFIG_DIR, 'default.yaml'), 'utf8').replace(
        'port: 3000',
        'port: 4321',
      );
      await writeFile(path.join(dir, 'default.yaml'), text);
      assert.equal(loadConfig({ env: {}, configDir: dir }).server.port, 4321);
    });

    it('when loaded, then the config is frozen all the way down', () => {
      const config = loadConfig({ env: {} });
      assert.ok(Object.isFrozen(config));
      assert.ok(Object.isFrozen(config.server));
      assert.throws(() => {
        config.server.port = 1;
      }, TypeError);
      assert.throws(() => {
        (config as unknown as Record<string, unknown>).extra = true;
      }, TypeError);
      assert.equal(config.server.port, 3000);
    });
  });

  describe('refusals', () => {
    it('when a number variable is not a number, then it is refused at server.port', () => {
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_SERVER_PORT: 'abc' }).issues), ['server.port']);
    });

    it('when PORT is out of range, then it is refused at server.port', () => {
      assert.deepEqual(pathsOf(refusal({ PORT: '99999' }).issues), ['server.port']);
    });

    it('when a boolean variable is not true or false, then it is refused at its key', () => {
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_DEMO_ENABLED: 'yes' }).issues), ['demo.enabled']);
    });

    it('when the demo IdP host is not loopback, then it is refused at demo.oidcIdpHost', () => {
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_DEMO_OIDC_IDP_HOST: '0.0.0.0' }).issues), [
        'demo.oidcIdpHost',
      ]);
    });

    it('when a LATCHKEY_ variable names no key, then it is refused under its own name', () => {
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_NOPE: '1' }).issues), ['LATCHKEY_NOPE']);
    });

    it('when a YAML file holds an unknown key, then the issue is at its parent and names the key', async () => {
      const file = await yamlFile('server:\n  prot: 8080\n');
      const { issues } = refusal({ LATCHKEY_CONFIG_FILE: file });
      assert.equal(issues.length, 1);
      assert.equal(issues[0]!.path, 'server');
      assert.match(issues[0]!.message, /\bprot\b/);
    });

    it('when a YAML file gives a value of the wrong type, then it is refused at its key', async () => {
      const file = await yamlFile("server:\n  port: 'x'\n");
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_CONFIG_FILE: file }).issues), ['server.port']);
    });

    it('when LATCHKEY_CONFIG_FILE names a missing file, then it is refused', () => {
      const missing = path.join(tmp, 'no-such-file.yaml');
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_CONFIG_FILE: missing }).issues), [missing]);
    });

    it('when REDIS_URL is not a redis URL, then it is refused at redis.url', () => {
      assert.deepEqual(pathsOf(refusal({ REDIS_URL: 'http://x' }).issues), ['redis.url']);
    });

    it('when DATABASE_URL is not a postgres URL, then it is refused at database.url', () => {
      assert.deepEqual(pathsOf(refusal({ DATABASE_URL: 'mysql://db/latchkey' }).issues), [
        'database.url',
      ]);
    });

    it('when NODE_ENV is not development, test or production, then it is refused', () => {
      assert.deepEqual(pathsOf(refusal({ NODE_ENV: 'staging' }).issues), ['NODE_ENV']);
    });

    it('when several keys are wrong, then every one is named', () => {
      const { issues } = refusal({
        LATCHKEY_SERVER_PORT: 'abc',
        LATCHKEY_NOPE: '1',
        LATCHKEY_DEMO_ENABLED: 'maybe',
      });
      assert.deepEqual(pathsOf(issues), ['LATCHKEY_NOPE', 'demo.enabled', 'server.port']);
    });
  });

  describe('precedence and coercion corner cases', () => {
    it('when both PORT and LATCHKEY_SERVER_PORT are set, then the LATCHKEY_ name wins', () => {
      const config = loadConfig({ env: { PORT: '4000', LATCHKEY_SERVER_PORT: '5000' } });
      assert.equal(config.server.port, 5000);
    });

    it('when a number is written in hex or exponent form, then it is refused', () => {
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_SERVER_PORT: '0x10' }).issues), ['server.port']);
      assert.deepEqual(pathsOf(refusal({ LATCHKEY_SERVER_BODY_LIMIT_BYTES: '1e3' }).issues), [
        'server.bodyLimitBytes',
      ]);
    });

    it('when trust proxy is set by environment, then booleans, hop counts and subnets all work', () => {
      const trust = (value: string) =>
        loadConfig({ env: { LATCHKEY_SERVER_TRUST_PROXY: value } }).server.trustProxy;
      assert.equal(trust('true'), true);
      assert.equal(trust('2'), 2);
      assert.equal(trust('10.0.0.0/8, loopback'), '10.0.0.0/8, loopback');
    });

    it('when a config file sets env, then it is refused: only NODE_ENV chooses the environment', async () => {
      const file = await yamlFile('env: development\nserver:\n  issuer: http://example.com\n');
      const error = refusal({ ...PRODUCTION_ENV, LATCHKEY_CONFIG_FILE: file });
      assert.ok(pathsOf(error.issues).includes('env'));
    });
  });

  describe('NODE_ENV=production', () => {
    it('when every production requirement is met, then it loads with config/production.yaml applied', () => {
      const config = loadConfig({ env: { ...PRODUCTION_ENV } });
      assert.equal(config.env, 'production');
      assert.equal(config.database.url, PRODUCTION_ENV.DATABASE_URL);
      assert.equal(config.redis.url, PRODUCTION_ENV.REDIS_URL);
      assert.equal(config.server.issuer, 'https://sso.example.com');
      assert.equal(config.server.host, '0.0.0.0');
      assert.equal(config.keys.generateIfMissing, false);
      assert.equal(config.keys.minPublishedSecondsBeforeSigning, 3600);
      assert.equal(config.demo.enabled, false);
    });

    const devOnlyChoices: Array<[key: string, env: Record<string, string>]> = [
      ['redis.url', without(PRODUCTION_ENV, 'REDIS_URL')],
      ['database.url', without(PRODUCTION_ENV, 'DATABASE_URL')],
      ['demo.enabled', { ...PRODUCTION_ENV, LATCHKEY_DEMO_ENABLED: 'true' }],
      ['keys.generateIfMissing', { ...PRODUCTION_ENV, LATCHKEY_KEYS_GENERATE_IF_MISSING: 'true' }],
      ['server.issuer', { ...PRODUCTION_ENV, LATCHKEY_SERVER_ISSUER: 'http://example.com' }],
    ];
    for (const [key, env] of devOnlyChoices) {
      it(`when ${key} keeps its dev-only choice, then the start is refused naming ${key}`, () => {
        assert.deepEqual(pathsOf(refusal(env).issues), [key]);
      });
    }

    it('when every dev-only choice is kept, then each one is named', () => {
      const { issues } = refusal({
        NODE_ENV: 'production',
        LATCHKEY_DEMO_ENABLED: 'true',
        LATCHKEY_KEYS_GENERATE_IF_MISSING: 'true',
        LATCHKEY_OUTBOUND_ALLOW_HTTP_LOOPBACK: 'true',
        LATCHKEY_SERVER_ISSUER: 'http://example.com',
      });
      assert.deepEqual(
        pathsOf(issues),
        [
          'database.url',
          'demo.enabled',
          'keys.generateIfMissing',
          'outbound.allowHttpLoopback',
          'redis.url',
          'secrets.auditPseudonymKey',
          'secrets.keyEncryptionKey',
          'server.issuer',
        ].sort(),
      );
    });

    it('when the issuer is http on localhost, then it is allowed', () => {
      const config = loadConfig({
        env: { ...PRODUCTION_ENV, LATCHKEY_SERVER_ISSUER: 'http://localhost:3000' },
      });
      assert.equal(config.server.issuer, 'http://localhost:3000');
    });
  });

  describe('the server process', () => {
    it('when the configuration is invalid, then main exits 1 naming the key on stderr', async () => {
      const env: NodeJS.ProcessEnv = Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) =>
            !name.startsWith('LATCHKEY_') && name !== 'DATABASE_URL' && name !== 'REDIS_URL',
        ),
      );
      env.NODE_ENV = 'test';
      env.LATCHKEY_SERVER_PORT = 'not-a-number';
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.resume();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, 30_000);
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (exitCode) => resolve(exitCode));
      }).finally(() => clearTimeout(timer));
      assert.equal(timedOut, false, 'src/main.ts did not exit within 30 s');
      assert.equal(code, 1, stderr);
      assert.match(stderr, /server\.port/);
    });
  });
});
