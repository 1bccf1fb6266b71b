import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/services.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TIMEOUT_MS = 30_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface ListedKey {
  kid: string;
  alg: string;
  state: string;
  published: boolean;
}

describe('cli', () => {
  let database: TestDatabase;
  let keysDir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs `npm run cli -- ...args` (scripts/cli.mjs); fails the test when it has not exited after 30 s. */
  const cliWith = async (runEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> => {
    const child = spawn(process.execPath, ['scripts/cli.mjs', ...args], {
      cwd: ROOT,
      env: runEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    }).finally(() => clearTimeout(timer));
    assert.equal(
      timedOut,
      false,
      `cli ${args.join(' ')} did not exit within ${TIMEOUT_MS / 1000} s`,
    );
    return { code, stdout, stderr };
  };
  const cli = (...args: string[]) => cliWith(env, ...args);
  const listKeys = async (): Promise<ListedKey[]> => {
    const result = await cli('keys', 'list', '--json');
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ListedKey[];
  };

  before(async () => {
    database = await createTestDatabase();
    keysDir = await mkdtemp(path.join(tmpdir(), 'latchkey-cli-keys-'));
    // The parent's own configuration (LATCHKEY_*, REDIS_URL) must not leak into the CLI.
    env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('LATCHKEY_') && name !== 'REDIS_URL',
      ),
    );
    env.NODE_ENV = 'test';
    env.DATABASE_URL = database.url;
    env.LATCHKEY_KEYS_DIR = keysDir;
  });
  after(async () => {
    await database?.drop();
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  // The steps build on each other: one database, one keys folder, in order.
  let nextKid = '';

  it('when db migrate runs, then it exits 0', async () => {
    const result = await cli('db', 'migrate');
    assert.equal(result.code, 0, result.stderr);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>(
        'SELECT version FROM schema_migrations',
      );
      assert.ok(rows.length > 0, 'no migration was recorded');
      const { rowCount } = await client.query('SELECT 1 FROM signing_keys');
      assert.equal(rowCount, 0);
    } finally {
      await client.end();
    }
  });

  it('when keys add runs, then keys list --json shows one next key and its private file exists', async () => {
    const added = await cli('keys', 'add');
    assert.equal(added.code, 0, added.stderr);
    const keys = await listKeys();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.state, 'next');
    assert.equal(keys[0]!.published, true);
    assert.equal('publicJwk' in keys[0]!, false);
    nextKid = keys[0]!.kid;
    assert.equal(existsSync(path.join(keysDir, `${nextKid}.private.jwk.json`)), true);
  });

  it('when keys promote runs on the next key, then it exits 0 and the key is active', async () => {
    assert.ok(nextKid, 'depends on the keys add step');
    const result = await cli('keys', 'promote', nextKid);
    assert.equal(result.code, 0, result.stderr);
    const keys = await listKeys();
    assert.deepEqual(
      keys.map((k) => [k.kid, k.state]),
      [[nextKid, 'active']],
    );
  });

  it('when audit verify runs after the promotion, then it exits 0: the key.rotated event is on a whole chain', async () => {
    const result = await cli('audit', 'verify');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /chain 00000000-0000-0000-0000-000000000000: OK \(1 events/);
  });

  it('when an audit event is altered behind the triggers, then audit verify exits 1 naming it', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let id: string;
    try {
      await client.query('SET session_replication_role = replica');
      const { rows } = await client.query<{ id: string }>(
        `UPDATE audit_events SET type = 'key.forged' WHERE type = 'key.rotated' RETURNING id`,
      );
      id = rows[0]!.id;
    } finally {
      await client.end();
    }
    const result = await cli('audit', 'verify');
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      new RegExp(`FAILED at event ${id} \\(seq 1\\): the event was altered`),
    );
    assert.match(result.stderr, /audit_chain_broken/);
  });

  it('when keys retire runs on the active key, then it exits 1 with key_state_invalid', async () => {
    assert.ok(nextKid, 'depends on the keys promote step');
    const result = await cli('keys', 'retire', nextKid);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /key_state_invalid/);
    assert.equal((await listKeys()).find((k) => k.kid === nextKid)?.state, 'active');
  });

  it('when keys bootstrap runs with a key active, then it changes nothing; on a new database it adds one and makes it the signer at once', async () => {
    const kept = await cli('keys', 'bootstrap');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /nothing to do/);
    assert.deepEqual(
      (await listKeys()).map((k) => k.state),
      ['active'],
    );
    const fresh = await createTestDatabase();
    try {
      const freshEnv = { ...env, DATABASE_URL: fresh.url };
      const first = await cliWith(freshEnv, 'keys', 'bootstrap');
      assert.equal(first.code, 0, first.stderr);
      const again = await cliWith(freshEnv, 'keys', 'bootstrap');
      assert.match(again.stdout, /nothing to do/);
      const listed = await cliWith(freshEnv, 'keys', 'list', '--json');
      const keys = JSON.parse(listed.stdout) as ListedKey[];
      assert.deepEqual(
        keys.map((k) => k.state),
        ['active'],
        'one key, active, without the publication wait',
      );
      assert.equal(existsSync(path.join(keysDir, `${keys[0]!.kid}.private.jwk.json`)), true);
    } finally {
      await fresh.drop();
    }
  });

  it('when saml-keys create runs, then it writes the SP pair (key 0600); a second run is refused and changes nothing, --if-missing keeps it', async () => {
    const keyFile = path.join(keysDir, 'saml-sp.key.pem');
    const first = await cli('saml-keys', 'create');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /wrote saml-sp.key.pem and saml-sp.crt.pem/);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    const written = await readFile(keyFile, 'utf8');
    const certificate = new X509Certificate(
      await readFile(path.join(keysDir, 'saml-sp.crt.pem'), 'utf8'),
    );
    assert.ok(certificate.checkPrivateKey(createPrivateKey(written)));
    const again = await cli('saml-keys', 'create');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /saml_sp_key_exists/);
    assert.equal(await readFile(keyFile, 'utf8'), written, 'not replaced');
    const ifMissing = await cli('saml-keys', 'create', '--if-missing');
    assert.equal(ifMissing.code, 0, ifMissing.stderr);
    assert.match(ifMissing.stdout, /kept saml-sp.key.pem/);
    assert.equal(await readFile(keyFile, 'utf8'), written);
  });

  it('when the command is unknown, then it exits 2', async () => {
    const result = await cli('frobnicate', 'now');
    assert.equal(result.code, 2);
  });

  it('when an option is unknown or an argument is missing, then it exits 2 with the usage', async () => {
    const bogus = await cli('keys', 'list', '--bogus');
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /Usage:/);
    const missing = await cli('keys', 'promote');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs <kid>/);
  });
});
