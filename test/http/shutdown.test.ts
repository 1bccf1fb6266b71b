import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { serve } from '../../src/http/serve.js';
import { createLogger } from '../../src/platform/logger.js';
import {
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from '../support/services.js';

const silent = createLogger({ level: 'silent' });

function slowApp(gate: { entered: () => void; release: Promise<void> }) {
  const app = express();
  app.get('/slow', async (_req, res) => {
    gate.entered();
    await gate.release;
    res.json({ done: true });
  });
  app.get('/fast', (_req, res) => {
    res.json({ fast: true });
  });
  return app;
}

const canConnect = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('graceful shutdown of the HTTP server', () => {
  it('when shutdown starts with a request in flight, then it finishes, new connections are refused, and the server closes', async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    const running = await serve(slowApp(gate), {
      host: '127.0.0.1',
      port: 0,
      graceMs: 10_000,
      requestTimeoutMs: 30_000,
      logger: silent,
    });

    const inFlight = fetch(`${running.url}/slow`);
    await inHandler;
    const closed = running.shutdown();
    assert.equal(
      await canConnect(running.url),
      false,
      'new connections are refused while draining',
    );
    release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    assert.equal(res.headers.get('connection'), 'close');
    assert.deepEqual(await closed, { forced: false });
  });

  it('when a request outlives the grace period, then its connection is cut and shutdown still completes', async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const never = new Promise<void>(() => undefined);
    const running = await serve(slowApp({ entered, release: never }), {
      host: '127.0.0.1',
      port: 0,
      graceMs: 200,
      requestTimeoutMs: 30_000,
      logger: silent,
    });
    const inFlight = fetch(`${running.url}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await inHandler;
    assert.deepEqual(await running.shutdown(), { forced: true });
    assert.equal(await inFlight, 'cut');
  });

  it('when idle keep-alive connections are open, then they do not hold shutdown open', async () => {
    const running = await serve(slowApp({ entered: () => undefined, release: Promise.resolve() }), {
      host: '127.0.0.1',
      port: 0,
      graceMs: 10_000,
      requestTimeoutMs: 30_000,
      logger: silent,
    });
    const res = await fetch(`${running.url}/fast`, { keepalive: true });
    assert.equal(res.status, 200);
    await res.json();
    assert.deepEqual(await running.shutdown(), { forced: false });
  });
});

describe('graceful shutdown of the Latchkey process', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let keysDir: string;
  before(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    keysDir = await mkdtemp(path.join(tmpdir(), 'latchkey-keys-'));
  });
  after(async () => {
    await database.drop();
    await redis.cleanup();
    await rm(keysDir, { recursive: true, force: true });
  });

  it('when SIGTERM arrives mid-request, then the request completes and the process exits 0', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      LATCHKEY_REDIS_KEY_PREFIX: redis.keyPrefix,
      LATCHKEY_KEYS_DIR: keysDir,
      LATCHKEY_KEYS_GENERATE_IF_MISSING: 'true',
      LATCHKEY_SERVER_PORT: '0',
      LATCHKEY_MANAGEMENT_PORT: '0',
      LATCHKEY_LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)".*"msg":"latchkey listening"/.exec(buffer);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
    });

    // A request in flight: headers and half the body sent, the rest after SIGTERM. The
    // token endpoint reads the whole form before it answers (invalid_client here).
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const body = 'grant_type=client_credentials&scope=read';
    socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n` +
        body.slice(0, 5),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.end(body.slice(5));
    await new Promise((resolve) => socket.once('close', resolve));

    assert.match(response, /^HTTP\/1\.1 401 /, 'the in-flight request was answered');
    assert.match(response, /"error":"invalid_client"/);
    assert.equal(await exited, 0, stderr);
    clearTimeout(killer);
  });
});
