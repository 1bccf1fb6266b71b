/**
 * Edits of signed SAML Responses, for the attack tests: each builds, from a Response the
 * IdP really signed, what an attacker would post. The IdP's template writes
 * `<saml:Assertion …>` and `<ds:Signature …>` elements; there is one assertion.
 */
export const decode = (samlResponse: string) =>
  Buffer.from(samlResponse, 'base64').toString('utf8');
export const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

const ASSERTION = /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/;
const SIGNATURE = /<ds:Signature\b[\s\S]*?<\/ds:Signature>/g;

export function assertionOf(xml: string): string {
  const match = ASSERTION.exec(xml);
  if (!match) throw new Error('no assertion');
  return match[0];
}

/** The signed assertion, unsigned, with a new ID and another NameID: what the attacker wants read. */
export function forgedAssertion(xml: string, nameId: string): string {
  return assertionOf(xml)
    .replace(SIGNATURE, '')
    .replace(/ ID="[^"]+"/, ' ID="_forged-assertion"')
    .replace(/(<saml:NameID\b[^>]*>)[^<]*(<\/saml:NameID>)/, `$1${nameId}$2`);
}

/** XSW "beside": a forged assertion next to the signed one (before or after it). */
export function wrapBeside(xml: string, nameId: string, where: 'before' | 'after'): string {
  const signed = assertionOf(xml);
  const forged = forgedAssertion(xml, nameId);
  return xml.replace(signed, where === 'before' ? forged + signed : signed + forged);
}

/**
 * XSW "around": the forged assertion holds the signed one. As a bare child it breaks the
 * schema; inside saml:Advice (which may hold assertions) it is schema-valid.
 */
export function wrapAround(xml: string, nameId: string, inAdvice = true): string {
  const signed = assertionOf(xml);
  const forged = forgedAssertion(xml, nameId);
  const wrapped = inAdvice
    ? forged.replace('</saml:Conditions>', `</saml:Conditions><saml:Advice>${signed}</saml:Advice>`)
    : forged.replace(/<\/saml:Assertion>$/, `${signed}</saml:Assertion>`);
  return xml.replace(signed, wrapped);
}

/**
 * XSW "inside": a forged assertion inside the signed assertion's own ds:Signature (in a
 * ds:Object), which the enveloped-signature transform leaves out of the digest.
 */
export function wrapInside(xml: string, nameId: string): string {
  const signed = assertionOf(xml);
  const forged = forgedAssertion(xml, nameId);
  const withObject = signed.replace(
    '</ds:Signature>',
    `<ds:Object>${forged}</ds:Object></ds:Signature>`,
  );
  if (withObject === signed) throw new Error('the assertion is not signed');
  return xml.replace(signed, withObject);
}

/**
 * XSW on the Response (XSW1): a forged Response with a forged assertion, carrying the
 * genuine Response's signature with the genuine signed Response inside its ds:Object; or
 * (XSW7-like) the genuine Response tucked into samlp:Extensions, which the schema refuses.
 */
export function wrapResponse(
  xml: string,
  nameId: string,
  into: 'signature' | 'extensions',
): string {
  const responseSignature = /<ds:Signature\b[\s\S]*?<\/ds:Signature>/.exec(xml)?.[0];
  if (!responseSignature) throw new Error('the response is not signed');
  const forged = xml
    .replace(SIGNATURE, '')
    .replace(/^(<samlp:Response\b[^>]*?) ID="[^"]+"/, '$1 ID="_forged-response"')
    .replace(ASSERTION, forgedAssertion(xml, nameId));
  const carrier =
    into === 'signature'
      ? responseSignature.replace(
          /<\/ds:Signature>$/,
          `<ds:Object>${xml}</ds:Object></ds:Signature>`,
        )
      : `<samlp:Extensions>${xml}</samlp:Extensions>`;
  return forged.replace(/(<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${carrier}`);
}

/** Every signature removed. */
export const stripSignatures = (xml: string) => xml.replace(SIGNATURE, '');

/** KeyInfo removed from every signature (it is not signed itself). */
export const stripKeyInfo = (xml: string) => xml.replace(/<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>/g, '');

/** A comment injected into the NameID after `prefix`: canonicalization drops it, so the signature holds. */
export function commentInNameId(xml: string, prefix: string): string {
  return xml.replace(
    /(<saml:NameID\b[^>]*>)([^<]*)(<\/saml:NameID>)/,
    (_m, open: string, value: string, close: string) => {
      if (!value.startsWith(prefix))
        throw new Error(`NameID ${value} does not start with ${prefix}`);
      return `${open}${prefix}<!---->${value.slice(prefix.length)}${close}`;
    },
  );
}
