import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { mock } from 'node:test';

/**
 * A plain HTTP server on 127.0.0.1 (and nowhere else), for outbound-fetch tests: the only
 * kind of server those tests may talk to. Counts the connections it accepted, so a test
 * can show that a refused fetch never connected.
 */
export async function startLocalServer(handler: http.RequestListener) {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = http.createServer(handler);
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type LocalServer = Awaited<ReturnType<typeof startLocalServer>>;

/**
 * Runs fn with net.connect and tls.connect replaced by functions that record the attempt
 * and fail (except plain connections to 127.0.0.1 when `allow127001`): proof that a
 * refusal happened before anything was dialled, and a guarantee that a bug cannot make
 * the test send traffic to any other address.
 */
export async function withoutDialling<T>(
  fn: () => Promise<T>,
  options: { allow127001?: boolean } = {},
): Promise<{ result: T | undefined; error: unknown; dialled: unknown[] }> {
  const dialled: unknown[] = [];
  const originalNetConnect = net.connect.bind(net) as (...args: unknown[]) => net.Socket;
  const guard = (...args: unknown[]) => {
    const target = args[0] as { host?: unknown } | undefined;
    if (options.allow127001 && target?.host === '127.0.0.1') return originalNetConnect(...args);
    dialled.push(target);
    throw new Error('dialling is not allowed in this test');
  };
  const netMock = mock.method(net, 'connect', guard);
  const tlsMock = mock.method(tls, 'connect', guard);
  try {
    return { result: await fn(), error: undefined, dialled };
  } catch (error) {
    return { result: undefined, error, dialled };
  } finally {
    netMock.mock.restore();
    tlsMock.mock.restore();
  }
}
