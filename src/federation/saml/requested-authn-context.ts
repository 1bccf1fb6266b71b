import samlify from 'samlify';
import { BINDING, type ConnectionEntities } from './saml-entities.js';

/** What an AuthnRequest asks of the authentication (SAML Core §3.3.2.2.1). */
export interface RequestedAuthnContext {
  classRefs: string[];
  comparison: 'exact' | 'minimum';
}

/**
 * samlify's AuthnRequest template with a RequestedAuthnContext after NameIDPolicy (the
 * schema's order, SAML Core §3.4.1), filled with the tags samlify itself fills: the
 * `customTagReplacement` of createLoginRequest, which then signs and encodes it as usual.
 */
export function withRequestedAuthnContext(
  entities: Pick<ConnectionEntities, 'sp' | 'idp'>,
  requested: RequestedAuthnContext,
  forceAuthn = false,
): (template: string) => { id: string; context: string } {
  return (template) => {
    const { sp, idp } = entities;
    const id = sp.entitySetting.generateID!();
    // Placeholders, filled (and escaped) by samlify's replacer like every other tag.
    const refs = requested.classRefs
      .map((_ref, i) => `<saml:AuthnContextClassRef>{ClassRef${i}}</saml:AuthnContextClassRef>`)
      .join('');
    const withContext = template.replace(
      '</samlp:AuthnRequest>',
      `<samlp:RequestedAuthnContext Comparison="${requested.comparison}">${refs}</samlp:RequestedAuthnContext></samlp:AuthnRequest>`,
    );
    const nameIdFormat = sp.entitySetting.nameIDFormat;
    const context = samlify.SamlLib.replaceTagsByValue(withContext, {
      ID: id,
      // samlify's metadata getters take its binding wording ('redirect', 'post').
      Destination: idp.entityMeta.getSingleSignOnService('redirect') as string,
      Issuer: sp.entityMeta.getEntityID(),
      IssueInstant: new Date().toISOString(),
      NameIDFormat: Array.isArray(nameIdFormat) ? nameIdFormat[0] : nameIdFormat,
      ProtocolBinding: BINDING.post,
      AssertionConsumerServiceURL: sp.entityMeta.getAssertionConsumerService('post') as string,
      EntityID: sp.entityMeta.getEntityID(),
      AllowCreate: sp.entitySetting.allowCreate,
      // Left out (not "false") unless a fresh sign-in is forced: SAML Core §3.4.1's default.
      ForceAuthn: forceAuthn ? 'true' : undefined,
      AssertionConsumerServiceIndex: undefined,
      ...Object.fromEntries(requested.classRefs.map((ref, i) => [`ClassRef${i}`, ref])),
    });
    return { id, context };
  };
}
