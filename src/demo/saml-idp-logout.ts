import type http from 'node:http';
import type { Logger } from '../platform/logger.js';
import { octetStringOf, type DemoSamlEntities } from './saml-idp-entities.js';
import type { DemoSamlLogoutRequest, DemoSamlSp } from './saml-idp-model.js';

/**
 * The development SAML IdP's Single Logout (HTTP-Redirect): a trusted SP's LogoutRequest,
 * which must be signed by the SP's certificate, is recorded and answered with a signed
 * LogoutResponse redirected (303) to the SP's SLO URL.
 */

const MAX_LOGOUTS_KEPT = 100;

export function createDemoSamlLogout(deps: {
  sloUrl: string;
  entities: DemoSamlEntities;
  trusted: ReadonlyMap<string, DemoSamlSp>;
  logger: Pick<Logger, 'warn'>;
  fail: (res: http.ServerResponse, status: number, heading: string, lines: string[]) => void;
}) {
  const { sloUrl, entities, trusted, logger } = deps;
  const logouts: DemoSamlLogoutRequest[] = [];

  /**
   * The LogoutRequest of a trusted SP with Single Logout, signed by its certificate (an
   * unsigned one is refused), issued by it and addressed to this SLO URL; null otherwise.
   */
  const readLogoutRequest = async (url: URL) => {
    const octetString = octetStringOf(url);
    const query = Object.fromEntries(url.searchParams);
    for (const sp of trusted.values()) {
      if (!sp.singleLogout) continue;
      const from = entities.spLogoutEntity(sp, sp.singleLogout);
      try {
        const parsed = await entities.idp.parseLogoutRequest(from, 'redirect', {
          query,
          octetString,
        });
        const extract = parsed.extract as Record<string, unknown>;
        if (String(extract.issuer) !== sp.entityId) continue;
        const request = extract.request as Record<string, string | undefined> | undefined;
        if (!request?.id || request.destination !== sloUrl) continue;
        const nameId = typeof extract.nameID === 'string' ? extract.nameID : '';
        if (!nameId) continue;
        const sessionIndex = typeof extract.sessionIndex === 'string' ? extract.sessionIndex : null;
        return {
          sp,
          from,
          requestId: request.id,
          nameId,
          sessionIndex,
          relayState: url.searchParams.get('RelayState'),
        };
      } catch {
        // Not this SP's request (or unsigned, or its signature is wrong): try the next one.
      }
    }
    return null;
  };

  const slo = async (res: http.ServerResponse, url: URL) => {
    const request = url.searchParams.has('SAMLRequest') ? await readLogoutRequest(url) : null;
    if (!request) {
      logger.warn({ component: 'demo-saml-idp' }, 'LogoutRequest refused');
      return deps.fail(res, 400, 'Sign-out error', [
        'This sign-out request was not accepted: it is missing, malformed, unsigned, or from an application this IdP does not know.',
      ]);
    }
    logouts.push({
      spEntityId: request.sp.entityId,
      nameId: request.nameId,
      sessionIndex: request.sessionIndex,
      at: new Date(),
    });
    if (logouts.length > MAX_LOGOUTS_KEPT) logouts.shift();
    const response = entities.idp.createLogoutResponse(
      request.from,
      { extract: { request: { id: request.requestId } } },
      'redirect',
      request.relayState ?? '',
    );
    res.writeHead(303, { location: response.context, 'cache-control': 'no-store' });
    res.end();
  };

  return { slo, received: () => logouts.map((l) => ({ ...l })) };
}
