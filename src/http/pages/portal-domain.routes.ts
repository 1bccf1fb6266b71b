import type { RequestHandler, Response, Router } from 'express';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/request-context.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { challengeRecordName, type OrgDomain } from '../../orgs/index.js';
import type { PortalSession } from '../../portal/index.js';
import { portalDomainsPage } from '../views/portal-pages.js';
import type { OrgLook } from '../views/layout.js';
import type { PageText } from '../i18n/page-text.js';
import {
  allowOwnScripts,
  csrf,
  notFound,
  principalOf,
  portalText,
  submitOneField,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';

/**
 * Why a check failed, in the page's language: no record, a wrong value, or the lookup's
 * own error (the verification's detail names which), then what to do; the reason code last.
 */
const checkFailure = (text: PageText, error: AppError, recordName: string) => {
  const { t } = text;
  // Refused before any lookup (a domain another org verified first, too many checks).
  if (error.code !== 'domain_verification_failed') {
    return t('portal.form.refused', { detail: error.message, reason: error.code });
  }
  const lookup = /^The TXT lookup of \S+ failed \((.*)\)\./.exec(error.message);
  const why = lookup
    ? t('portal.domain.failure.lookup', { record: recordName, detail: lookup[1]! })
    : error.message.startsWith('There is no TXT record')
      ? t('portal.domain.failure.none', { record: recordName })
      : t('portal.domain.failure.mismatch', { record: recordName });
  return `${why} ${t('portal.domain.failure.todo')} (${error.code})`;
};

/** A refused add in the page's language: the domain is taken, or is not a domain name. */
const addRefusal = (text: PageText) => (error: AppError) =>
  error.code === 'domain_taken'
    ? text.t('portal.domain.refused.taken')
    : error.code === 'validation_failed'
      ? text.t('portal.domain.refused.invalid')
      : text.t('portal.form.refused', { detail: error.message, reason: error.code });

const withDomainIntent = (session: PortalSession) => withIntent(session, 'domain_verification');

/** What the Domain step shows besides the org's claims: a notice, a refused add, a failed check. */
type DomainsPageState = Pick<
  Parameters<typeof portalDomainsPage>[1],
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
  text: PageText,
) {
  res
    .status(status)
    .type('html')
    .send(
      portalDomainsPage(text, {
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
    const text = portalText(req, res);
    await sendDomainsPage(
      res,
      200,
      deps,
      session,
      found,
      { notice: named ? text.t('portal.domain.verifiedNotice', { domain: named.domain }) : null },
      text,
    );
  });

  router.post('/portal/domains', form, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withDomainIntent(found.session);
    allowOwnScripts(res);
    const text = portalText(req, res, '/portal/domains');
    const refused = await submitOneField(
      req,
      { name: 'domain' },
      (domain) =>
        deps.domains.add(
          session.orgId,
          { domain },
          principalOf(session),
          contextOf(req, res.locals),
        ),
      addRefusal(text),
    );
    if (refused) {
      const { value, message } = refused;
      await sendDomainsPage(
        res,
        refused.status,
        deps,
        session,
        found,
        { addError: { value, message } },
        text,
      );
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
      const text = portalText(req, res, '/portal/domains');
      const claim = (await domainRows(deps, session)).find((d) => d.id === id);
      await sendDomainsPage(
        res,
        error.status,
        deps,
        session,
        found,
        { failed: { id, detail: checkFailure(text, error, claim?.recordName ?? '') } },
        text,
      );
      return;
    }
    res.redirect(303, `/portal/domains?verified=${id}`);
  });
}
