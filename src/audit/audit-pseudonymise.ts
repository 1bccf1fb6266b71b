// GDPR erasure of one user's audit events (AuditLog.pseudonymise, audit-log.ts).
import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/index.js';

export interface PseudonymiseInput {
  orgId: string;
  userId: string;
  /** Other strings that identify the user (email, name, upstream subjects). */
  identifying: string[];
}

const ADMIN_ACTORS = ['api_key', 'cli', 'client', 'scim_directory', 'portal_session'];

/** Rewrites the user's events in the org inside tx; returns how many it rewrote. */
export async function pseudonymiseEvents(
  tx: Queryable,
  input: PseudonymiseInput,
  pseudonym: string,
  clock: Clock,
): Promise<number> {
  const needles = [input.userId, ...input.identifying.filter((s) => s.length >= 3)];
  const lowered = needles.map((s) => s.toLowerCase());
  const { rows } = await tx.query<{
    id: string;
    type: string;
    actor_type: string;
    actor_id: string | null;
    target_id: string | null;
    ip: string | null;
    user_agent: string | null;
    data: Record<string, unknown>;
  }>(
    `SELECT id, type, actor_type, actor_id, target_id, ip, user_agent, data FROM audit_events
     WHERE org_id = $1 AND (actor_id = $2 OR target_id = $2
       OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS n WHERE strpos(lower(data::text), n) > 0))
     ORDER BY id FOR UPDATE`,
    [input.orgId, input.userId, lowered],
  );
  // The SQL above is a coarse prefilter (any mention anywhere in the text). An event is
  // the user's only if it names the user as actor or target, or one of its values
  // mentions one of the user's identifiers as a whole word (case-insensitively): never
  // a fragment of an id, a hash or a key. Never the trail's own events (audit.*).
  const patterns = needles.map(
    (needle) =>
      new RegExp(
        `(?<![\\p{L}\\p{N}_])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_])`,
        'giu',
      ),
  );
  const mentions = (text: string) =>
    patterns.some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    });
  const mentionsUser = (value: unknown): boolean =>
    typeof value === 'string'
      ? mentions(value)
      : Array.isArray(value)
        ? value.some(mentionsUser)
        : value !== null && typeof value === 'object'
          ? Object.values(value).some(mentionsUser)
          : false;
  const about = rows.filter(
    (row) =>
      !row.type.startsWith('audit.') &&
      (row.actor_id === input.userId || row.target_id === input.userId || mentionsUser(row.data)),
  );
  if (!about.length) return 0;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string')
      return patterns.reduce((text, pattern) => text.replace(pattern, pseudonym), value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  await tx.query("SELECT set_config('latchkey.audit_pseudonymise', 'on', true)");
  const now = clock.now();
  for (const row of about) {
    // The address and browser are the user's when the user acted (or someone not yet
    // known signed in as them), or the system or a client acted for the user (a session
    // ending, a token); an admin's or another known user's stay theirs.
    const own =
      row.actor_id === input.userId ||
      (row.actor_type === 'user' && row.actor_id === null) ||
      (row.actor_type !== 'user' && !ADMIN_ACTORS.includes(row.actor_type));
    await tx.query(
      `UPDATE audit_events SET actor_id = $2, target_id = $3, ip = $4, user_agent = $5,
         data = $6, pii_salt = NULL, pseudonymised_at = $7 WHERE id = $1`,
      [
        row.id,
        row.actor_id === input.userId ? pseudonym : row.actor_id,
        row.target_id === input.userId ? pseudonym : row.target_id,
        own ? null : row.ip,
        own ? null : row.user_agent,
        JSON.stringify(scrub(row.data)),
        now,
      ],
    );
  }
  await tx.query("SELECT set_config('latchkey.audit_pseudonymise', 'off', true)");
  return about.length;
}
