import type { Request, RequestHandler, Response, Router } from 'express';
import {
  DEFAULT_OIDC_CLAIM_MAPPING,
  DEFAULT_OIDC_SCOPES,
  MAX_METADATA_BYTES,
  NAME_ID_FORMATS,
  oidcRedirectUri,
  spEndpoints,
  type Connection,
} from '../../connections/index.js';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/request-context.js';
import { UUID_PATTERN } from '../../platform/pagination.js';
import { guideOf, IDP_GUIDES, type IdpGuide, type PortalSession } from '../../portal/index.js';
import {
  emptyForm,
  portalConnectionPage,
  portalSsoNewPage,
  portalSsoPage,
  type FormState,
  type GuideValues,
} from '../views/portal-sso-pages.js';
import type { OrgLook } from '../views/layout.js';
import type { PageText } from '../i18n/page-text.js';
import { pageFormWithFiles, partsOf } from './multipart-form.js';
import {
  allowOwnScripts,
  csrf,
  notFound,
  portalText,
  principalOf,
  withIntent,
  type Gate,
  type PortalDeps,
} from './portal-kit.js';
import { passedAtCurrentVersion } from '../../federation/index.js';
import { refusalOf, samlCreateBody } from './portal-sso-input.js';

const MAX_METADATA_KB = MAX_METADATA_BYTES / 1024;

const withSsoIntent = (session: PortalSession) => withIntent(session, 'sso');

const guideFrom = (req: Request) => {
  const guide = guideOf(String(req.params.idp));
  if (!guide) throw notFound();
  return guide;
};

/** The values a guide's new connection will have once created with this id. */
function plannedValues(issuer: string, guide: IdpGuide, id: string): GuideValues {
  if (guide.protocol === 'oidc') {
    return {
      guide,
      values: {
        redirectUri: oidcRedirectUri(issuer, id),
        scopes: DEFAULT_OIDC_SCOPES,
        claims: DEFAULT_OIDC_CLAIM_MAPPING,
      },
    };
  }
  const sp = spEndpoints(issuer, id);
  return {
    guide,
    values: {
      acsUrl: sp.acs_url,
      entityId: sp.entity_id,
      metadataUrl: sp.metadata_url,
      nameIdFormat: NAME_ID_FORMATS.emailAddress,
      attributes: guide.attributes,
    },
  };
}

/** An existing connection's values, under the generic guide's labels (it keeps no IdP name). */
function connectionValues(issuer: string, connection: Connection): GuideValues {
  if (connection.type === 'oidc') {
    return {
      guide: guideOf('oidc') as IdpGuide & { protocol: 'oidc' },
      values: {
        redirectUri: oidcRedirectUri(issuer, connection.id),
        scopes: connection.settings.scopes,
        claims: connection.settings.claimMapping,
      },
    };
  }
  const sp = spEndpoints(issuer, connection.id);
  return {
    guide: guideOf('saml') as IdpGuide & { protocol: 'saml' },
    values: {
      acsUrl: sp.acs_url,
      entityId: sp.entity_id,
      metadataUrl: sp.metadata_url,
      nameIdFormat: connection.settings.nameIdFormat,
      attributes: connection.settings.attributeMapping,
    },
  };
}

/** The new-connection page for a guide, with its reserved id and the form's state. */
async function sendNewPage(
  res: Response,
  status: number,
  deps: PortalDeps,
  found: { token: string; session: PortalSession; look: OrgLook | null },
  guide: IdpGuide,
  state: FormState,
  text: PageText,
) {
  const id = await deps.reservations.reserve(
    found.session,
    guide.slug,
    deps.links.clock.now().getTime(),
  );
  res
    .status(status)
    .type('html')
    .send(
      portalSsoNewPage(text, {
        values: plannedValues(deps.connections.issuer, guide, id),
        reservedId: id,
        csrf: csrf.tokenFor(found.token),
        state,
        maxMetadataKb: MAX_METADATA_KB,
        look: found.look,
      }),
    );
}

/** What the form sent, as text fields (a multipart form's file is apart). */
const fieldsOf = (req: Request): Record<string, string> =>
  Object.fromEntries(
    Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );

/** The values kept on a refused form: everything typed but the secret and the CSRF token. */
const typedValues = (fields: Record<string, string>) => {
  const { client_secret: _secret, csrf: _csrf, ...kept } = fields;
  return kept;
};

/** The create body of a guide's form, or the field refused before anything is sent. */
function createBody(
  text: PageText,
  guide: IdpGuide,
  fields: Record<string, string>,
  res: Response,
) {
  if (guide.protocol === 'saml')
    return samlCreateBody(text, guide, fields, partsOf(res), MAX_METADATA_KB);
  return {
    body: {
      type: 'oidc',
      name: fields.name ?? '',
      issuer: (fields.issuer ?? '').trim(),
      client_id: (fields.client_id ?? '').trim(),
      client_secret: fields.client_secret ?? '',
    },
    source: 'oidc' as const,
  };
}

/**
 * The SSO step: the org's connections; for each IdP the values to enter there (the id the
 * connection will have reserved first) and the form that brings the IdP's values back and
 * creates a draft; each connection's page, with its test and activation (the lead's).
 */
export function ssoStep(router: Router, deps: PortalDeps, gate: Gate, form: RequestHandler) {
  const formWithFile = pageFormWithFiles({
    urlEncoded: form,
    fileBytes: MAX_METADATA_BYTES,
    fieldBytes: MAX_METADATA_BYTES,
  });

  router.get('/portal/sso', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const page = await deps.connections.list(session.orgId, principalOf(session), {
      limit: 200,
      afterId: null,
    });
    res.type('html').send(
      portalSsoPage(portalText(req, res), {
        connections: page.items.map((c) => ({
          id: c.id,
          name: c.name,
          protocol: c.type,
          status: c.status,
        })),
        guides: IDP_GUIDES,
        look: found.look,
      }),
    );
  });

  router.get('/portal/sso/new/:idp', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    withSsoIntent(found.session);
    const guide = guideFrom(req);
    allowOwnScripts(res);
    await sendNewPage(res, 200, deps, found, guide, emptyForm, portalText(req, res));
  });

  router.post('/portal/sso/new/:idp', formWithFile, async (req, res) => {
    const found = await gate.currentForm(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const guide = guideFrom(req);
    allowOwnScripts(res);
    const fields = fieldsOf(req);
    // Its switcher returns to the same IdP's empty form (the slug is one of the guides').
    const text = portalText(req, res, `/portal/sso/new/${guide.slug}`);
    const refuse = (status: number, error: FormState['error']) =>
      sendNewPage(res, status, deps, found, guide, { values: typedValues(fields), error }, text);

    // The id the page showed must be the one still reserved: else its values are not the ones entered.
    const reserved = await deps.reservations.peek(session, guide.slug);
    if (!reserved || fields.connection_id !== reserved) {
      await refuse(409, {
        field: 'form',
        message: text.t('portal.sso.refused.outOfDate'),
      });
      return;
    }
    const planned = createBody(text, guide, fields, res);
    if ('refused' in planned) {
      await refuse(400, planned.refused);
      return;
    }
    let connection: Connection;
    try {
      connection = await deps.connections.create(
        session.orgId,
        planned.body,
        principalOf(session),
        contextOf(req, res.locals),
        { id: reserved, checkFirst: guide.protocol === 'oidc' },
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await refuse(error.status, refusalOf(text, error, planned.source));
      return;
    }
    await deps.reservations.release(session, guide.slug);
    res.redirect(303, `/portal/sso/${connection.id}?created=1`);
  });

  router.get('/portal/sso/:connectionId', async (req, res) => {
    const found = await gate.current(req, res);
    if (!found) return;
    const session = withSsoIntent(found.session);
    const id = String(req.params.connectionId);
    // Another org's connection, or none at all: the same 404 (the service scopes by org).
    if (!UUID_PATTERN.test(id)) throw notFound();
    const connection = await deps.connections.get(session.orgId, id, principalOf(session));
    const latestTest = await deps.connectionTests.latest(session.orgId, id);
    allowOwnScripts(res);
    const text = portalText(req, res);
    res.type('html').send(
      portalConnectionPage(text, {
        connection: {
          id: connection.id,
          name: connection.name,
          protocol: connection.type,
          status: connection.status,
        },
        values: connectionValues(deps.connections.issuer, connection),
        latestTest,
        activatable: passedAtCurrentVersion(connection, latestTest),
        csrf: csrf.tokenFor(found.token),
        notice: req.query.created === '1' ? text.t('portal.sso.created') : null,
        look: found.look,
      }),
    );
  });
}
