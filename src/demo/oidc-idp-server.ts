import type http from 'node:http';

/** Listening and closing for the demo IdP's own node:http server. */

export function listen(
  server: http.Server,
  host: string,
  port: number,
  which: { name: string; setting: string } = {
    name: 'demo OIDC IdP',
    setting: 'demo.oidcIdpPort (LATCHKEY_DEMO_OIDC_IDP_PORT)',
  },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `the ${which.name} cannot listen on ${host}:${port} (${error.code ?? error.message}); ` +
            `free the port or set ${which.setting}`,
          { cause: error },
        ),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  // Browsers keep connections alive; the demo IdP has nothing in flight worth waiting for.
  server.closeAllConnections();
  await closed;
}
