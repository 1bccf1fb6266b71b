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

/** An entry of serve()'s list of responses not closed yet (the list's head has no res). */
interface Unanswered {
  res: ServerResponse | null;
  prev: Unanswered;
  next: Unanswered;
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
  // The responses not closed yet, as a doubly linked list rather than a Set. A Set's hash
  // table is rebuilt as entries come and go; once the table is in old space, so is every
  // rebuilt copy, and each discarded copy still points at the responses it held. A scavenge
  // keeps whatever an old-space object points at, dead or not, until the next full GC: under
  // load that promoted nearly every request's objects (response, request, body, headers).
  // Unlinking an entry clears its pointers, so nothing stale is left behind.
  const unanswered: Unanswered = { res: null, prev: null!, next: null! };
  unanswered.prev = unanswered.next = unanswered;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) {
      res.setHeader('Connection', 'close');
      return;
    }
    const entry: Unanswered = { res, prev: unanswered.prev, next: unanswered };
    unanswered.prev.next = entry;
    unanswered.prev = entry;
    res.once('close', () => {
      entry.prev.next = entry.next;
      entry.next.prev = entry.prev;
      entry.prev = entry.next = entry;
      entry.res = null;
    });
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
      for (let entry = unanswered.next; entry !== unanswered; entry = entry.next)
        if (entry.res && !entry.res.headersSent) entry.res.setHeader('Connection', 'close');
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
