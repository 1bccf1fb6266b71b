import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from '../platform/logger.js';

export interface RunningServer {
  server: Server;
  /** http://host:port actually bound (port 0 resolved). */
  url: string;
  /**
   * Stops accepting, lets in-flight requests finish for at most graceMs, then cuts what is
   * left. Resolves when the listener is closed. Idempotent.
   */
  shutdown(): Promise<{ forced: boolean }>;
}

export async function serve(
  handler: RequestListener,
  options: {
    host: string;
    port: number;
    graceMs: number;
    requestTimeoutMs: number;
    logger: Logger;
  },
): Promise<RunningServer> {
  const server = createServer({ requestTimeout: options.requestTimeoutMs }, handler);
  // Keep-alive sockets must not hold a shutdown open: close() ends idle ones, and each
  // busy one is closed after its response (Connection: close is sent while draining).
  let draining = false;
  const unanswered = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) {
      res.setHeader('Connection', 'close');
      return;
    }
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<{ forced: boolean }> | undefined;
  const shutdown = () => {
    closing ??= new Promise((resolve) => {
      draining = true;
      // Responses still to be written close their connection behind them.
      for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        options.logger.warn(
          { graceMs: options.graceMs },
          'shutdown grace elapsed; closing remaining connections',
        );
        server.closeAllConnections();
      }, options.graceMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve({ forced });
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { server, url: `http://${host}:${address.port}`, shutdown };
}
