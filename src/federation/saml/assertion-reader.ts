import type { XmlElement } from 'libxml2-wasm';
import { attributeOf, childNamed, childrenNamed, SAML, textOf } from './xml-tree.js';

/** What a verified assertion says. */
export interface AssertionFacts {
  id: string | null;
  issuer: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  /** Each SubjectConfirmation with its SubjectConfirmationData. */
  subjectConfirmations: Array<{
    method: string | null;
    recipient: string | null;
    notBefore: string | null;
    notOnOrAfter: string | null;
    inResponseTo: string | null;
  }>;
  conditions: Array<{ notBefore: string | null; notOnOrAfter: string | null }>;
  /** The audiences of each AudienceRestriction. */
  audienceRestrictions: string[][];
  authnStatements: Array<{
    /** When the IdP authenticated the person (AuthnInstant, SAML Core §2.7.2; schema-required). */
    authnInstant: string | null;
    sessionIndex: string | null;
    sessionNotOnOrAfter: string | null;
    /** AuthnContext's AuthnContextClassRef (SAML Core §2.7.2.2), if any. */
    classRef: string | null;
    /** AuthnContext's AuthenticatingAuthority values (§2.7.2.2). */
    authorities: string[];
  }>;
  attributes: Record<string, string[]>;
}

const trimmed = (value: string | null): string | null => {
  const v = value?.trim();
  return v ? v : null;
};
const attr = (node: XmlElement, name: string) => trimmed(attributeOf(node, name));

/** One SubjectConfirmation: its method and its (single) data. */
function subjectConfirmationOf(confirmation: XmlElement) {
  const data = childrenNamed(confirmation, SAML, 'SubjectConfirmationData');
  // Several SubjectConfirmationData in one confirmation are ambiguous: none counts.
  const one = data.length === 1 ? data[0]! : null;
  return {
    method: attr(confirmation, 'Method'),
    recipient: one && attr(one, 'Recipient'),
    notBefore: one && attr(one, 'NotBefore'),
    notOnOrAfter: one && attr(one, 'NotOnOrAfter'),
    inResponseTo: one && attr(one, 'InResponseTo'),
  };
}

/** An AuthnStatement: its session and AuthnContext (SAML Core §2.7.2). */
function authnStatementOf(statement: XmlElement) {
  const context = childNamed(statement, SAML, 'AuthnContext');
  return {
    authnInstant: attr(statement, 'AuthnInstant'),
    sessionIndex: attr(statement, 'SessionIndex'),
    sessionNotOnOrAfter: attr(statement, 'SessionNotOnOrAfter'),
    classRef: context ? trimmed(textOf(childNamed(context, SAML, 'AuthnContextClassRef'))) : null,
    authorities: context
      ? childrenNamed(context, SAML, 'AuthenticatingAuthority')
          .map((a) => trimmed(textOf(a)))
          .filter((v): v is string => v !== null)
      : [],
  };
}

/**
 * Reads a saml:Assertion element that was verified — the signed element itself, or the
 * child of the verified Response — where it lies in the verified tree: never a second
 * search of the document, never a re-parse of a string (SAML Core §2.3.3–§2.7).
 */
export function readAssertionFacts(assertion: XmlElement): AssertionFacts {
  const subject = childNamed(assertion, SAML, 'Subject');
  const nameId = subject ? childNamed(subject, SAML, 'NameID') : undefined;
  const conditions = childrenNamed(assertion, SAML, 'Conditions');
  const attributes: Record<string, string[]> = {};
  for (const statement of childrenNamed(assertion, SAML, 'AttributeStatement')) {
    for (const attribute of childrenNamed(statement, SAML, 'Attribute')) {
      const name = attributeOf(attribute, 'Name');
      if (name === null) continue;
      const values = childrenNamed(attribute, SAML, 'AttributeValue').map((v) => v.content);
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return {
    id: attr(assertion, 'ID'),
    issuer: textOf(childNamed(assertion, SAML, 'Issuer')),
    nameId: textOf(nameId),
    nameIdFormat: nameId ? attr(nameId, 'Format') : null,
    subjectConfirmations: subject
      ? childrenNamed(subject, SAML, 'SubjectConfirmation').map(subjectConfirmationOf)
      : [],
    conditions: conditions.map((c) => ({
      notBefore: attr(c, 'NotBefore'),
      notOnOrAfter: attr(c, 'NotOnOrAfter'),
    })),
    audienceRestrictions: conditions.flatMap((c) =>
      childrenNamed(c, SAML, 'AudienceRestriction').map((restriction) =>
        childrenNamed(restriction, SAML, 'Audience')
          .map(textOf)
          .filter((v): v is string => v !== null),
      ),
    ),
    authnStatements: childrenNamed(assertion, SAML, 'AuthnStatement').map(authnStatementOf),
    attributes,
  };
}
