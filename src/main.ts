import { buildApp } from './app.js';
import { seedDemo } from './demo/seed.js';
import { loadSamlEngine } from './federation/index.js';
import { serve } from './http/serve.js';
import { ConfigError, loadConfig } from './platform/config/index.js';

/**
 * load config → build app → listen (public and management listeners) → graceful shutdown
 * on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`latchkey: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp(config);
  // The SAML checks load on first use (libxml2's WebAssembly); a served process loads them
  // before it listens, so no sign-in waits for them and a failure to load stops the start.
  await loadSamlEngine();
  const listening = {
    graceMs: config.server.shutdownGraceMs,
    requestTimeoutMs: config.server.requestTimeoutMs,
    logger: app.logger,
  };
  const running = await serve(app.http, {
    host: config.server.host,
    port: config.server.port,
    ...listening,
  });
  // /metrics and /slo: on a private interface, apart from the public listener.
  const management = await serve(app.management, {
    host: config.management.host,
    port: config.management.port,
    ...listening,
  }).catch(async (error: unknown) => {
    await running.shutdown();
    await app.close();
    throw error;
  });
  app.logger.info(
    {
      url: running.url,
      issuer: config.server.issuer,
      database: app.db.kind,
      store: app.redis ? 'redis' : 'memory',
      env: config.env,
    },
    'latchkey listening',
  );
  app.logger.info({ url: management.url }, 'management listener (/metrics, /slo) listening');
  const seedLines: string[] = [];
  // The demo IdP runs beside Latchkey on its own port; it is closed after the drain below.
  const demo = config.demo.enabled
    ? await seedDemo(app, (line) => seedLines.push(line)).catch((error: unknown) => {
        // A start that fails after the seed made the bootstrap key still shows it: it is
        // shown once, and the next start would not make another.
        if (seedLines.length) process.stdout.write(`${seedLines.join('\n')}\n`);
        throw error;
      })
    : null;
  if (config.env === 'development') {
    process.stdout.write(
      [
        '',
        `  Latchkey is running (${app.db.kind}, ${app.redis ? 'redis' : 'in-memory store'})`,
        `  Issuer     ${config.server.issuer}`,
        `  Listening  ${running.url}`,
        `  Ready      ${running.url}/readyz`,
        `  JWKS       ${running.url}/.well-known/jwks.json`,
        `  Metrics    ${management.url}/metrics  (management listener)`,
        `  SLOs       ${management.url}/slo`,
        `  Discovery  ${running.url}/.well-known/openid-configuration`,
        ...seedLines,
        '',
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      app.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.logger.info({ signal }, 'shutting down: draining in-flight requests');
    void (async () => {
      // Both listeners drain together, before the stores close.
      const drained = await Promise.all([running.shutdown(), management.shutdown()]);
      const forced = drained.some((d) => d.forced);
      await demo
        ?.close()
        .catch((error: unknown) => app.logger.warn({ err: error }, 'demo IdP close failed'));
      await app.close();
      app.logger.info({ forced }, 'shutdown complete');
      app.logger.flush();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `latchkey: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
