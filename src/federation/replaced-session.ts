import type { RequestContext } from '../audit/index.js';
import type { SessionService } from '../sessions/index.js';

/**
 * A sign-in in a browser that already had a session of the same person (a step-up to a
 * stronger level, a fresh sign-in forced by prompt=login or max_age, or simply signing in
 * again) replaces that session: the browser's cookie now names the new one, and the old
 * one ends at once, like a sign-out of that session (reason `reauthenticated`: audited as
 * session.ended, its revocation event sent, its refresh tokens gone), instead of living
 * on until it expires, unreachable from the browser yet still good for every token issued
 * under it. A sign-in as someone else (switching accounts) leaves the other person's
 * session as it was, and so do the person's sessions in other browsers.
 */
export async function endReplacedSession(
  sessions: Pick<SessionService, 'validate' | 'end'>,
  previousToken: string | null,
  opened: { id: string; orgId: string; userId: string } | null,
  context: RequestContext,
): Promise<void> {
  if (!previousToken || !opened) return;
  const previous = await sessions.validate(previousToken);
  if (!previous || previous.id === opened.id) return;
  if (previous.orgId !== opened.orgId || previous.userId !== opened.userId) return;
  await sessions.end(previous.orgId, previous.id, 'reauthenticated', context);
}

/** Completes a login, then ends the session it replaced in this browser (endReplacedSession). */
export function sessionReplacer(sessions: Pick<SessionService, 'validate' | 'end'>) {
  return async <Done extends { session: { id: string; orgId: string; userId: string } | null }>(
    previousSessionToken: string | null,
    context: RequestContext,
    complete: () => Promise<Done>,
  ): Promise<Done> => {
    const done = await complete();
    await endReplacedSession(sessions, previousSessionToken, done.session, context);
    return done;
  };
}
