import { serve, type RunningServer } from '../../src/http/serve.js';
import { createLogger } from '../../src/platform/logger.js';
import { startTestApp, type TestApp } from './app.js';
import { freePort } from './tcp-proxy.js';

export interface LiveApp extends TestApp {
  /** The issuer, which is also where the server listens: http://127.0.0.1:<port> */
  issuer: string;
  server: RunningServer;
  /** The management listener (/metrics, /slo) on a port of its own: http://127.0.0.1:<port> */
  managementUrl: string;
}

/**
 * A Latchkey listening on a real port whose issuer is its own URL, for real clients
 * (openid-client, a browser) that fetch discovery and follow redirects.
 */
export async function startLiveApp(
  options: Parameters<typeof startTestApp>[0] = {},
): Promise<LiveApp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const t = await startTestApp({
    ...options,
    env: {
      LATCHKEY_SERVER_ISSUER: issuer,
      LATCHKEY_SESSIONS_COOKIE_NAME: 'latchkey',
      ...options.env,
    },
  });
  const server = await serve(t.app.http, {
    host: '127.0.0.1',
    port,
    graceMs: 2000,
    requestTimeoutMs: 30_000,
    logger: createLogger({ level: 'silent' }),
  });
  const management = await serve(t.app.management, {
    host: '127.0.0.1',
    port: 0,
    graceMs: 2000,
    requestTimeoutMs: 30_000,
    logger: createLogger({ level: 'silent' }),
  });
  return {
    ...t,
    issuer,
    server,
    managementUrl: management.url,
    async close() {
      await Promise.all([server.shutdown(), management.shutdown()]);
      await t.app.backchannel.settled();
      await t.close();
    },
  };
}
