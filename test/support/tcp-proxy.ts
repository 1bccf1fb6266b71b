import net from 'node:net';

/** A port on loopback with nothing listening on it (yet). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy on `port` to a real service: start it to bring the service "up" at that
 * port, stop it (cutting every connection, refusing new ones) to bring it "down", or
 * stall it: connections stay open and new ones are accepted, but no byte passes either
 * way until resume() (a frozen server or a network that drops packets without a reset).
 * Lets tests take a real Redis or Postgres away and give it back without touching the
 * real server.
 */
export function tcpProxy(port: number, target: { host: string; port: number }) {
  let server: net.Server | null = null;
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const flow = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const hold = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  return {
    async start() {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        const pair: [net.Socket, net.Socket] = [client, upstream];
        pairs.add(pair);
        for (const s of pair) {
          sockets.add(s);
          s.on('close', () => {
            sockets.delete(s);
            pairs.delete(pair);
          });
          s.on('error', () => undefined);
        }
        if (stalled) hold(pair);
        else flow(pair);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async stop() {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
    },
    /** Holds every byte, both ways, on open and new connections; nothing is reset. */
    stall() {
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    /** Lets bytes flow again (what was held is delivered). */
    resume() {
      stalled = false;
      for (const pair of pairs) flow(pair);
    },
  };
}

const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
};

/**
 * A proxy (not started) on a free loopback port in front of the service at `serviceUrl`,
 * and the same URL pointed at the proxy (credentials, database and options kept).
 */
export async function proxyInFrontOf(
  serviceUrl: string,
): Promise<{ proxy: ReturnType<typeof tcpProxy>; url: string; port: number }> {
  const target = new URL(serviceUrl);
  const port = await freePort();
  const proxy = tcpProxy(port, {
    host: target.hostname,
    port: Number(target.port || DEFAULT_PORTS[target.protocol]),
  });
  const url = new URL(serviceUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { proxy, url: url.toString(), port };
}
