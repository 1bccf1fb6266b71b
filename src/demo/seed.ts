import type { App } from '../app.js';

/**
 * Development seed, run at start when demo.enabled (refused in production): a bootstrap
 * platform admin API key, created once and printed once. Later starts find it and print
 * nothing; create another with `npm run cli -- apikeys create --platform`.
 */
export async function seedDemo(app: App, print: (line: string) => void): Promise<void> {
  const { rows } = await app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM api_keys WHERE scope = 'platform:admin' AND revoked_at IS NULL`,
  );
  if ((rows[0]?.n ?? 0) > 0) return;
  const { key, secret } = await app.apiKeys.create(
    { orgId: null, body: { name: 'development bootstrap' } },
    'cli',
    null,
  );
  print(`  Admin API  platform:admin key ${key.id} (shown once, keep it):`);
  print(`             ${secret}`);
  print(
    `             curl -H 'Authorization: Bearer ${secret.slice(0, 12)}…' ${app.config.server.issuer}/api/v1/orgs`,
  );
}
