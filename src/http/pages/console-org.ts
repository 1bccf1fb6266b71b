import type { Response } from 'express';
import type { AdminPrincipal } from '../../platform/admin/index.js';
import { PORTAL_INTENTS } from '../../portal/index.js';
import { consoleOrgPage, type ConsoleOrgView } from '../views/console-org-page.js';
import type { ConsoleViewer } from '../views/console-pages.js';
import type { ConsoleDeps } from './console-deps.js';

/** What an org's console page shows besides the org's own data. */
export interface OrgPageState {
  orgId: string;
  principal: AdminPrincipal;
  viewer: ConsoleViewer;
  csrf: string;
  notice: string | null;
  linkForm: ConsoleOrgView['linkForm'];
}

const LIST = { limit: 200, afterId: null };
const RECENT_EVENTS = 25;
const SHOWN_SESSIONS = 100;

/** The lifetimes offered for a setup link, up to the configured longest. */
function lifetimes({ defaultSeconds, maxSeconds }: ConsoleDeps['linkLifetimes']) {
  const hour = 3600;
  const day = 24 * hour;
  const offered = [
    { seconds: hour, label: '1 hour' },
    { seconds: day, label: '1 day' },
    { seconds: 5 * day, label: '5 days' },
    { seconds: 14 * day, label: '14 days' },
    { seconds: 30 * day, label: '30 days' },
  ].filter((l) => l.seconds <= maxSeconds);
  if (!offered.some((l) => l.seconds === defaultSeconds)) {
    offered.push({ seconds: defaultSeconds, label: `${Math.round(defaultSeconds / 60)} minutes` });
    offered.sort((a, b) => a.seconds - b.seconds);
  }
  return offered;
}

/**
 * An org's page, every part read through the admin services with the console admin's
 * principal (an unknown org is their 404).
 */
export async function sendOrgPage(
  deps: ConsoleDeps,
  res: Response,
  status: number,
  state: OrgPageState,
): Promise<void> {
  const { orgId, principal } = state;
  const org = await deps.orgs.get(orgId, principal);
  const [domains, connections, users, sessions, events, apiKeys, webhooks] = await Promise.all([
    deps.domains.list(orgId, principal, LIST),
    deps.connections.list(orgId, principal, LIST),
    deps.users.list(orgId, {}, principal, LIST),
    deps.sessions.listForOrg(orgId),
    deps.auditQuery.list(orgId, { order: 'desc' }, principal, {
      limit: RECENT_EVENTS,
      afterId: null,
    }),
    deps.apiKeys.list(orgId, principal, LIST),
    deps.webhooks.list(orgId, principal, LIST),
  ]);
  const emails = new Map(users.items.map((u) => [u.id, u.email]));
  const names = new Map(connections.items.map((c) => [c.id, c.name]));
  const live = [...sessions].sort((a, b) => b.lastSeenAtMs - a.lastSeenAtMs);
  res
    .status(status)
    .type('html')
    .send(
      consoleOrgPage({
        viewer: state.viewer,
        csrf: state.csrf,
        org,
        domains: domains.items.map((d) => ({
          domain: d.domain,
          status: d.status,
          method: d.verificationMethod,
        })),
        connections: connections.items,
        users: users.items,
        sessions: live.slice(0, SHOWN_SESSIONS).map((s) => ({
          id: s.id,
          user: emails.get(s.userId) ?? s.userId,
          connection: s.connectionId ? (names.get(s.connectionId) ?? s.connectionId) : null,
          ip: s.ip,
          createdAt: new Date(s.createdAtMs),
          lastSeenAt: new Date(s.lastSeenAtMs),
        })),
        events: events.items.map((e) => ({
          occurredAt: e.occurred_at,
          type: e.type,
          actor: e.actor.id
            ? `${e.actor.type} ${emails.get(e.actor.id) ?? e.actor.id}`
            : e.actor.type,
          target: e.target ? `${e.target.type} ${e.target.id}` : null,
          outcome: e.outcome,
        })),
        apiKeys: apiKeys.items,
        webhooks: webhooks.items,
        notice: state.notice,
        linkForm: state.linkForm,
        intents: PORTAL_INTENTS,
        lifetimes: lifetimes(deps.linkLifetimes),
        defaultLifetimeSeconds: deps.linkLifetimes.defaultSeconds,
        truncated: {
          users: users.nextCursor !== null,
          sessions: live.length > SHOWN_SESSIONS,
          apiKeys: apiKeys.nextCursor !== null,
          webhooks: webhooks.nextCursor !== null,
        },
      }),
    );
}
