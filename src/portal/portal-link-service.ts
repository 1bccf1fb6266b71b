import type { AuditLog, RequestContext } from '../audit/index.js';
import type { Clock } from '../platform/clock.js';
import { constantTimeEqual, sha256Hex } from '../platform/crypto/index.js';
import type { Database } from '../platform/db/index.js';
import { uuidv7 } from '../platform/ids.js';
import { toPage, type Page, type PageRequest } from '../platform/pagination.js';
import type { z } from 'zod';
import { parseInput } from '../platform/validation.js';
import {
  adminEvent,
  assertOrgAccess,
  assertOrgExists,
  assertOrgVisible,
  notFound,
  type AdminPrincipal,
} from '../platform/admin/index.js';
import { createLinkBody } from './portal-link-input.js';
import { linkIdOf, newLinkToken, type PortalLink } from './portal-link.js';
import { portalLinkStore } from './portal-link-store.js';
import type { PortalSession, PortalSessions } from './portal-session.js';

export interface PortalLinkService {
  /** A new link and its URL, shown in the answer and nowhere else, ever. */
  create(
    orgId: string,
    body: unknown,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<{ link: PortalLink; url: string }>;
  list(orgId: string, principal: AdminPrincipal, page: PageRequest): Promise<Page<PortalLink>>;
  get(orgId: string, id: string, principal: AdminPrincipal): Promise<PortalLink>;
  /** Ends the link, and the portal session it opened, at once; idempotent. */
  revoke(
    orgId: string,
    id: string,
    principal: AdminPrincipal,
    context: RequestContext,
  ): Promise<void>;
  /** Whether a presented token names a link that could still be exchanged (a read only). */
  usable(presented: string): Promise<boolean>;
  /**
   * Spends the link (once, ever) and opens a portal session: its cookie value, or null
   * for a token that is unknown, used, expired or revoked (the caller cannot tell which).
   */
  exchange(presented: string, context: RequestContext): Promise<string | null>;
  /** The live session a portal cookie opens, or null; a revoked link's session is ended. */
  session(token: string): Promise<PortalSession | null>;
  clock: Clock;
}

interface PortalLinkDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  sessions: PortalSessions;
  /** The public origin the link's URL starts with (server.issuer). */
  issuer: string;
  /** config portal.linkLifetimeSeconds and portal.maxLinkLifetimeSeconds. */
  lifetimeSeconds: number;
  maxLifetimeSeconds: number;
  allowHttpLoopback: boolean;
}

const linkEvent = (
  principal: AdminPrincipal,
  context: RequestContext,
  event: { type: 'admin.portal_link.created' | 'admin.portal_link.revoked'; link: PortalLink },
  data: Record<string, unknown>,
) =>
  adminEvent(principal, context, {
    type: event.type,
    orgId: event.link.orgId,
    target: { type: 'portal_link', id: event.link.id },
    data,
  });

/**
 * The link's URL. The token rides in the query string, not the fragment: a fragment never
 * reaches the server, so the page would need script to send it, and the portal must work
 * without script. The query's usual leaks are closed here: request logs keep the path only
 * (create-http-app.ts), every page sends Referrer-Policy: no-referrer, and the GET only
 * shows a button; the link is spent by that button's POST, so a mail scanner fetching the
 * URL does not use it up.
 */
const linkUrl = (issuer: string, token: string) =>
  `${issuer.replace(/\/$/, '')}/portal/start?token=${encodeURIComponent(token)}`;

/** A new link, stored as a digest and audited; its URL is answered and never kept. */
async function createLink(
  { db, audit, clock, ...deps }: PortalLinkDeps,
  input: z.infer<ReturnType<typeof createLinkBody>>,
  {
    orgId,
    principal,
    context,
  }: { orgId: string; principal: AdminPrincipal; context: RequestContext },
): Promise<{ link: PortalLink; url: string }> {
  const now = clock.now();
  const lifetimeSeconds = input.lifetime_seconds ?? deps.lifetimeSeconds;
  const link: PortalLink = {
    id: uuidv7(now.getTime()),
    orgId,
    intents: input.intents,
    returnUrl: input.return_url ?? null,
    createdBy: principal.keyId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
    usedAt: null,
    revokedAt: null,
  };
  const token = newLinkToken(link.id);
  await db.transaction(async (tx) => {
    await assertOrgExists(tx, orgId);
    await portalLinkStore(tx).insert(link, sha256Hex(token));
    await audit.record(
      tx,
      linkEvent(
        principal,
        context,
        { type: 'admin.portal_link.created', link },
        {
          intents: link.intents,
          expires_at: link.expiresAt.toISOString(),
          return_url: link.returnUrl,
        },
      ),
    );
  });
  return { link, url: linkUrl(deps.issuer, token) };
}

export function createPortalLinkService(deps: PortalLinkDeps): PortalLinkService {
  const { db, audit, clock, sessions } = deps;
  const Body = createLinkBody(deps);

  /** The link a presented token names, when the token is its own (digest compared). */
  const presentedLink = async (presented: string) => {
    const id = linkIdOf(presented);
    if (!id) return null;
    const found = await portalLinkStore(db).credential(id);
    if (!found || !constantTimeEqual(sha256Hex(presented), found.digest)) return null;
    // A disabled org's links open nothing (its API keys stop too).
    return found.orgActive ? found.link : null;
  };

  return {
    clock,
    create(orgId, body, principal, context) {
      // Another org's key learns nothing, not even whether its body was valid.
      assertOrgAccess(principal, orgId);
      return createLink(deps, parseInput(Body, body), { orgId, principal, context });
    },

    async list(orgId, principal, page) {
      assertOrgAccess(principal, orgId);
      await assertOrgVisible(db, principal, orgId);
      return toPage(await portalLinkStore(db).list(orgId, page), page, (l) => l.id);
    },

    async get(orgId, id, principal) {
      assertOrgAccess(principal, orgId, 'portal link');
      const link = await portalLinkStore(db).get(orgId, id);
      if (!link) throw notFound('portal link');
      return link;
    },

    async revoke(orgId, id, principal, context) {
      assertOrgAccess(principal, orgId, 'portal link');
      await db.transaction(async (tx) => {
        const store = portalLinkStore(tx);
        const before = await store.get(orgId, id, { forUpdate: true });
        if (!before) throw notFound('portal link');
        if (before.revokedAt) return;
        const after = (await store.revoke(id, clock.now()))!;
        await audit.record(
          tx,
          linkEvent(
            principal,
            context,
            { type: 'admin.portal_link.revoked', link: after },
            {
              was_used: before.usedAt !== null,
            },
          ),
        );
      });
      // After the commit: a session read in between still finds the link revoked (session()).
      await sessions.endForLink(id);
    },

    async usable(presented) {
      const link = await presentedLink(presented);
      return link !== null && !link.usedAt && !link.revokedAt && link.expiresAt > clock.now();
    },

    async exchange(presented, context) {
      const link = await presentedLink(presented);
      if (!link) return null;
      const now = clock.now();
      const used = await db.transaction(async (tx) => {
        const spent = await portalLinkStore(tx).markUsed(link.id, now);
        if (!spent) return null;
        await audit.record(tx, {
          type: 'portal.session.started',
          orgId: spent.orgId,
          actor: { type: 'portal_session', id: spent.id },
          target: { type: 'portal_link', id: spent.id },
          context,
          data: { intents: spent.intents, expires_at: spent.expiresAt.toISOString() },
        });
        return spent;
      });
      return used ? sessions.open(used, now.getTime()) : null;
    },

    async session(token) {
      const session = await sessions.read(token, clock.now().getTime());
      if (!session) return null;
      // Revocation deletes the session too; this read covers a delete that did not land,
      // and ends the session of an org disabled since.
      const found = await portalLinkStore(db).credential(session.linkId);
      if (!found || found.link.revokedAt || !found.orgActive) return null;
      return session;
    },
  };
}
