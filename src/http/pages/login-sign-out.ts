import type { Request, Response, Router } from 'express';
import type { LoginService } from '../../federation/index.js';
import { AppError } from '../../platform/errors.js';
import { pageDoor } from './page-limits.js';
import { errorStyle } from '../../platform/error-style.js';
import { pageText } from '../i18n/page-text.js';
import { signedOutPage } from '../views/pages.js';
import { acsForm, connectionIdOf, relayStateOf, UUID, type LoginKit } from './login-kit.js';

/**
 * SAML Single Logout (HTTP-Redirect or HTTP-POST): the IdP's LogoutRequest, answered
 * with a signed LogoutResponse back at the IdP, or the IdP's LogoutResponse to
 * Latchkey's own LogoutRequest, after which the browser continues where its sign-out
 * was headed. Anything not signed by the connection's IdP ends nothing.
 */
async function slo(
  kit: LoginKit,
  req: Request,
  res: Response,
  message: Parameters<LoginService['receiveSamlLogout']>[1],
) {
  const { deps } = kit;
  const connectionId = connectionIdOf(String(req.params.connectionId));
  const received = await deps.login.receiveSamlLogout(connectionId, message, kit.context(req, res));
  if (received.kind === 'request') res.clearCookie(deps.session.name, deps.session.options);
  const next = received.kind === 'request' ? received.redirect : received.then;
  if (next) res.redirect(303, next);
  else res.type('html').send(signedOutPage(pageText(res)));
}

/** The sign-out pages of SAML Single Logout, and each SAML connection's SP metadata. */
export function signOutRoutes(router: Router, kit: LoginKit): void {
  const samlDoor = pageDoor(kit.deps.doors, 'saml');
  router.get('/saml/:connectionId/slo', errorStyle('html'), samlDoor, async (req, res) => {
    const at = req.originalUrl.indexOf('?');
    await slo(kit, req, res, {
      binding: 'redirect',
      rawQuery: at < 0 ? '' : req.originalUrl.slice(at + 1),
    });
  });
  router.post(
    '/saml/:connectionId/slo',
    errorStyle('html'),
    samlDoor,
    acsForm,
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const request = typeof body.SAMLRequest === 'string' ? body.SAMLRequest : null;
      const response = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : null;
      await slo(kit, req, res, {
        binding: 'post',
        kind: request !== null ? 'LogoutRequest' : 'LogoutResponse',
        samlMessage: request ?? response ?? '',
        relayState: relayStateOf(body),
      });
    },
  );

  router.get('/saml/:connectionId/metadata', async (req, res) => {
    const connectionId = req.params.connectionId;
    const xml = UUID.test(connectionId) ? await kit.deps.login.samlMetadata(connectionId) : null;
    if (!xml) throw new AppError('not_found', 'No SAML connection here.', { status: 404 });
    res.type('application/samlmetadata+xml').set('Cache-Control', 'public, max-age=300').send(xml);
  });
}
