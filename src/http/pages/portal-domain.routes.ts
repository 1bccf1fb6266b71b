import type { RequestHandler, Response, Router } from 'express';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/request-context.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { challengeRecordName, type OrgDomain } from '../../orgs/index.js';
import type { PortalSession } from '../../portal/index.js';
import { portalDomainsPage } from '../views/portal-pages.js';
import type { OrgLook } from '../views/layout.js';
import {
  allowOwnScripts,
  csrf,
  notFound,
  principalOf,
  submitOneField,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';

/**
 * Why a check failed, in the portal's words: the verification's own first sentence (no
 * record, wrong value, or the lookup's error), then what to do here; the reason code last.
 */
const checkFailure = (error: AppError) => {
  const why = error.message.split(' Publish ')[0]!;
  return `${why} Publish the TXT record shown above at your DNS provider, then check again. (${error.code})`;
};

const withDomainIntent = (session: PortalSession) => withIntent(session, 'domain_verification');

/** What the Domain step shows besides the org's claims: a notice, a refused add, a failed check. */
type DomainsPageState = Pick<
  Parameters<typeof portalDomainsPage>[0],
  'notice' | 'addError' | 'failed'
>;

/** The Domain step's page with the org's claims as they are now. */
async function sendDomainsPage(
  res: Response,
  status: number,
  deps: PortalDeps,
  session: PortalSession,
  found: { token: string; look: OrgLook | null },
  state: DomainsPageState,
) {
  res
    .status(status)
    .type('html')
    .send(
      portalDomainsPage({
        domains: await domainRows(deps, session),
        csrf: csrf.tokenFor(found.token),
        look: found.look,
        ...state,
      }),
    );
}

const domainRows = async (deps: PortalDeps, session: PortalSession) => {
  const page = await deps.domains.list(session.orgId, principalOf(session), {
    limit: 200,
    afterId: null,
  });
  return page.items.map((d: OrgDomain) => ({
    id: d.id,
    domain: d.domain,
    status: d.status,
    recordName: challengeRecordName(d.domain),
    recordValue: d.status === 'pending' ? d.verificationToken : null,
  }));
};

/** The Domain step: the org's claims, adding one, and checking its TXT record on demand. */
export function domainStep(router: Router, deps: PortalDeps, gate: Gate, form: RequestHandler) {
  router.get('/portal/domains', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const verified = typeof req.query.verified === 'string' ? req.query.verified : null;
    const named = (await domainRows(deps, session)).find(
      (d) => d.id === verified && d.status === 'verified',
    );
    await sendDomainsPage(res, 200, deps, session, found, {
      notice: named ? `${named.domain} is verified.` : null,
    });
  });

  router.post('/portal/domains', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const refused = await submitOneField(req, { name: 'domain', label: 'domain' }, (domain) =>
      deps.domains.add(session.orgId, { domain }, principalOf(session), contextOf(req, res.locals)),
    );
    if (refused) {
      const { value, message } = refused;
      await sendDomainsPage(res, refused.status, deps, session, found, {
        addError: { value, message },
      });
      return;
    }
    res.redirect(303, '/portal/domains');
  });

  router.post('/portal/domains/:domainId/check', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const id = String(req.params.domainId);
    // Another org's claim, or no claim at all: the same 404 (the service scopes by org).
    if (!UUID_PATTERN.test(id)) throw notFound();
    try {
      await deps.domains.verify(
        session.orgId,
        id,
        {},
        principalOf(session),
        contextOf(req, res.locals),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
      await sendDomainsPage(res, error.status, deps, session, found, {
        failed: { id, detail: checkFailure(error) },
      });
      return;
    }
    res.redirect(303, `/portal/domains?verified=${id}`);
  });
}
