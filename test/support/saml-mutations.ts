import { wrapAround, wrapBeside, wrapInside, wrapResponse } from './saml-xml.js';

/**
 * Deterministic mutations of signed SAML messages, for the differential test of the
 * signature verifier: a seeded PRNG picks what to flip, move, duplicate or wrap, so a
 * failing case is reproduced by its seed. The mutations work on the XML text with a small
 * tag scanner (the messages are the test IdP's, written without DOCTYPE or CDATA).
 */

/** mulberry32: a small seeded PRNG, good enough to pick mutations. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
export type Rng = ReturnType<typeof prng>;

interface Span {
  name: string;
  /** Start of the open tag, end of the open tag, start of the close tag, end of the element. */
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
}

/** The elements of the text, in document order (null when the tags do not nest). */
export function elementsOf(xml: string): Span[] | null {
  const spans: Span[] = [];
  const stack: Span[] = [];
  const tag =
    /<(\/?)([A-Za-z_][\w.:-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (!m[2]) continue;
    const end = m.index + m[0].length;
    if (m[1]) {
      const open = stack.pop();
      if (!open || open.name !== m[2]) return null;
      open.closeStart = m.index;
      open.end = end;
    } else {
      const span = { name: m[2], start: m.index, openEnd: end, closeStart: end, end };
      spans.push(span);
      if (!m[3]) stack.push(span);
    }
  }
  return stack.length === 0 ? spans : null;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const text = (xml: string, s: Span) => xml.slice(s.start, s.end);
const splice = (xml: string, at: number, remove: number, insert: string) =>
  xml.slice(0, at) + insert + xml.slice(at + remove);

const NS_DS = 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
const NS_SAML = 'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"';
const NS_SAMLP = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"';
const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '\t',
  '"',
  "'",
  '<',
  '>',
  '&',
  'é',
  '\u00a0',
  '\u2028',
  '😀',
  '.',
];

/** A random position inside a text node or an attribute value, and what it is in. */
function valuePositions(xml: string): number[] {
  const positions: number[] = [];
  const value = />([^<]+)<|="([^"]*)"/g;
  for (let m = value.exec(xml); m; m = value.exec(xml)) {
    const start = m.index + (m[1] !== undefined ? 1 : 2);
    const length = (m[1] ?? m[2] ?? '').length;
    for (let i = 0; i < length; i++) positions.push(start + i);
  }
  return positions;
}

const escapeChar = (c: string) =>
  ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c;

type Mutation = (xml: string, r: Rng) => string | null;

/** The first assertion and the first signature inside it, as spans of the text. */
function signedAssertionIn(x: string): { a: Span; sig: Span } | null {
  const spans = elementsOf(x);
  const a = spans?.find((s) => localName(s.name) === 'Assertion');
  const sig =
    a &&
    spans!.find((s) => localName(s.name) === 'Signature' && s.start > a.start && s.end < a.end);
  return a && sig ? { a, sig } : null;
}

/** The classic signature-wrapping shapes (XSW 1–8, Somorovsky et al. 2012) and kin. */
const wrappings: Mutation[] = [
  (x) => tryOr(() => wrapResponse(x, 'ceo@acme.test', 'signature')), // XSW1
  (x) => tryOr(() => wrapResponse(x, 'ceo@acme.test', 'extensions')), // XSW2/7 on the Response
  (x) => tryOr(() => wrapBeside(x, 'ceo@acme.test', 'before')), // XSW3
  (x) => tryOr(() => wrapBeside(x, 'ceo@acme.test', 'after')), // XSW4-like beside
  (x) => tryOr(() => wrapAround(x, 'ceo@acme.test', false)), // XSW4
  (x) => tryOr(() => wrapAround(x, 'ceo@acme.test', true)), // XSW7 in Advice
  (x) => tryOr(() => wrapInside(x, 'ceo@acme.test')), // XSW8
  // XSW5: the forged assertion takes the signature; the genuine one, unsigned, at the end.
  (x) => {
    const { a, sig } = signedAssertionIn(x) ?? {};
    if (!a || !sig) return null;
    const genuine = text(x, a).replace(text(x, sig), '');
    const forged = text(x, a).replace(/(<saml:NameID\b[^>]*>)[^<]*/, '$1ceo@acme.test');
    return splice(x, a.start, a.end - a.start, forged + genuine);
  },
  // XSW6: the forged assertion signed, the genuine one inside its Signature's ds:Object.
  (x) => {
    const { a, sig } = signedAssertionIn(x) ?? {};
    if (!a || !sig) return null;
    const genuine = text(x, a).replace(text(x, sig), '');
    const carried = text(x, sig).replace(
      /<\/ds:Signature>$/,
      `<ds:Object>${genuine}</ds:Object></ds:Signature>`,
    );
    const forged = text(x, a)
      .replace(text(x, sig), carried)
      .replace(/(<saml:NameID\b[^>]*>)[^<]*/, '$1ceo@acme.test')
      .replace(/ ID="[^"]+"/, ' ID="_evil"');
    return splice(x, a.start, a.end - a.start, forged);
  },
];

function tryOr(build: () => string): string | null {
  try {
    return build();
  } catch {
    return null;
  }
}

/** Element-level edits: duplicate, remove, move, wrap. */
const structural: Mutation[] = [
  (x, r) => {
    const spans = elementsOf(x)?.slice(1);
    if (!spans?.length) return null;
    const s = r.pick(spans);
    return splice(x, s.end, 0, text(x, s));
  },
  (x, r) => {
    const spans = elementsOf(x)?.slice(1);
    if (!spans?.length) return null;
    const s = r.pick(spans);
    return splice(x, s.start, s.end - s.start, '');
  },
  (x, r) => {
    const spans = elementsOf(x)?.slice(1);
    if (!spans?.length) return null;
    const s = r.pick(spans);
    const without = splice(x, s.start, s.end - s.start, '');
    const targets = elementsOf(without)?.filter(
      (t) => t.closeStart > t.openEnd || t.end === t.closeStart,
    );
    if (!targets?.length) return null;
    const t = r.pick(targets);
    const at = r.next() < 0.5 ? t.openEnd : t.closeStart;
    return splice(without, at, 0, text(x, s));
  },
  (x, r) => {
    const spans = elementsOf(x)?.slice(1);
    if (!spans?.length) return null;
    const s = r.pick(spans);
    const [open, close] = r.pick([
      [`<samlp:Extensions ${NS_SAMLP}>`, '</samlp:Extensions>'],
      [`<saml:Advice ${NS_SAML}>`, '</saml:Advice>'],
      [`<ds:Object ${NS_DS}>`, '</ds:Object>'],
      ['<x:W xmlns:x="urn:x">', '</x:W>'],
    ]);
    return splice(x, s.start, s.end - s.start, open + text(x, s) + close);
  },
];

/** Value edits: a character flipped, a comment or a byte dropped in. */
const values: Mutation[] = [
  (x, r) => {
    const positions = valuePositions(x);
    if (!positions.length) return null;
    return splice(x, r.pick(positions), 1, escapeChar(r.pick(CHARS)));
  },
  (x, r) => {
    const positions = valuePositions(x).filter(
      (p) => x[p - 1] === '>' || x[p + 1] === '<' || r.next() < 0.1,
    );
    if (!positions.length) return null;
    const at = r.pick(positions);
    if (x.lastIndexOf('"', at) > x.lastIndexOf('>', at)) return null; // not in an attribute
    return splice(x, at, 0, r.pick(['<!---->', '<!-- x -->']));
  },
  (x, r) => splice(x, r.int(x.length), 1, r.pick(CHARS)),
  (x, r) => {
    // A base64 value (DigestValue, SignatureValue, X509Certificate) altered or re-wrapped.
    const b64 = [...x.matchAll(/<ds:(DigestValue|SignatureValue|X509Certificate)>([^<]+)</g)];
    if (!b64.length) return null;
    const m = r.pick(b64);
    const start = m.index + m[0].indexOf('>') + 1;
    const at = start + r.int(m[2]!.length);
    return r.next() < 0.5
      ? splice(x, at, 1, r.pick(['A', 'B', '+', '/', '=']))
      : splice(x, at, 0, '\n');
  },
];

const ALGORITHMS = [
  'http://www.w3.org/2000/09/xmldsig#sha1',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2001/04/xmlenc#sha512',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2006/12/xml-c14n11',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/TR/1999/REC-xpath-19991116',
];

/** XML-DSig edits: algorithms, transforms, references, KeyInfo. */
const dsig: Mutation[] = [
  (x, r) => {
    const algorithms = [...x.matchAll(/ Algorithm="([^"]*)"/g)];
    if (!algorithms.length) return null;
    const m = r.pick(algorithms);
    return splice(x, m.index, m[0].length, ` Algorithm="${r.pick(ALGORITHMS)}"`);
  },
  (x, r) => {
    const uris = [...x.matchAll(/ URI="([^"]*)"/g)];
    const ids = [...x.matchAll(/ ID="([^"]*)"/g)].map((m) => m[1]!);
    if (!uris.length) return null;
    const m = r.pick(uris);
    const uri = r.pick([
      '',
      '#',
      '#xpointer(/)',
      ...ids.map((id) => `#${id}`),
      ...ids.map((id) => `#xpointer(id('${id}'))`),
    ]);
    return splice(x, m.index, m[0].length, ` URI="${uri}"`);
  },
  (x, r) => {
    // The transforms reordered, one dropped, or a third added.
    const transforms = [...x.matchAll(/<ds:Transforms>([\s\S]*?)<\/ds:Transforms>/g)];
    if (!transforms.length) return null;
    const m = r.pick(transforms);
    const steps = m[1]!.match(/<ds:Transform\b[^>]*?(?:\/>|>[\s\S]*?<\/ds:Transform>)/g) ?? [];
    const edited = r.pick([
      [...steps].reverse(),
      steps.slice(0, 1),
      steps.slice(1),
      [...steps, steps[steps.length - 1] ?? ''],
      [
        ...steps.slice(0, 1),
        '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs xsi saml #default"/></ds:Transform>',
      ],
    ]);
    return splice(x, m.index, m[0].length, `<ds:Transforms>${edited.join('')}</ds:Transforms>`);
  },
  (x, r) => {
    const keyInfos = [...x.matchAll(/<ds:KeyInfo>[\s\S]*?<\/ds:KeyInfo>/g)];
    if (!keyInfos.length) return null;
    const m = r.pick(keyInfos);
    return splice(
      x,
      m.index,
      m[0].length,
      r.pick(['', '<ds:KeyInfo><ds:KeyName>idp</ds:KeyName></ds:KeyInfo>', m[0] + m[0]]),
    );
  },
  (x, r) => {
    // A second Reference, or a second Signature, in a signature.
    const references = [...x.matchAll(/<ds:Reference\b[\s\S]*?<\/ds:Reference>/g)];
    if (!references.length) return null;
    const m = r.pick(references);
    return splice(x, m.index + m[0].length, 0, m[0].replace(/ URI="[^"]*"/, ' URI=""'));
  },
];

/** Namespace games and duplicated IDs. */
const namespaces: Mutation[] = [
  (x) => x.replace(/<saml:Assertion\b/, `<saml:Assertion xmlns:foo="urn:foo"`),
  (x) => x.replace(/<saml:Assertion\b/, '<saml:Assertion xmlns="urn:default"'),
  (x) => x.replace(/<saml:Assertion\b/, '<saml:Assertion xmlns:saml="urn:evil"'),
  (x, r) => {
    const named = [...x.matchAll(/<saml:(Issuer|NameID|Audience|Attribute|Conditions)\b/g)];
    if (!named.length) return null;
    const m = r.pick(named);
    return splice(x, m.index + m[0].length, 0, ` ${NS_SAML}`);
  },
  (x) => x.replace(/<(\/?)saml:/g, '<$1s2:').replace(/xmlns:saml=/g, 'xmlns:s2='),
  (x) => x.replace(/<(\/?)ds:/g, '<$1dsig:').replace(/xmlns:ds=/g, 'xmlns:dsig='),
  (x, r) => {
    const ids = [...x.matchAll(/ ID="([^"]*)"/g)].map((m) => m[1]!);
    if (!ids.length) return null;
    const id = r.pick(ids);
    const attribute = r.pick(['ID', 'Id', 'id', 'xml:id', 'wsu:Id']);
    const extra = attribute === 'wsu:Id' ? ' xmlns:wsu="urn:wsu"' : '';
    const element = `<x:F xmlns:x="urn:x"${extra} ${attribute}="${id}"/>`;
    const where = r.pick([
      /(<\/saml:Issuer>)/,
      /(<\/saml:Conditions>)/,
      /(<\/ds:SignatureValue>)/,
      /(<\/saml:Subject>)/,
    ]);
    return x.replace(where, `$1${element}`);
  },
  (x) => {
    const ids = [...x.matchAll(/ ID="([^"]*)"/g)].map((m) => m[1]!);
    return ids.length >= 2 ? x.replace(` ID="${ids[1]}"`, ` ID="${ids[0]}"`) : null;
  },
];

/** Rewritings canonicalization undoes: both verifiers must still accept these. */
const equivalents: Mutation[] = [
  (x, r) => {
    const named = [...x.matchAll(/<(saml:NameID|saml:Issuer|saml:Audience)\b([^>]*)>([^<&]+)</g)];
    if (!named.length) return null;
    const m = r.pick(named);
    const start = m.index + m[0].length - 1 - m[3]!.length;
    const i = r.int(m[3]!.length);
    const ref =
      r.next() < 0.5 ? `&#${m[3]!.charCodeAt(i)};` : `&#x${m[3]!.charCodeAt(i).toString(16)};`;
    return splice(x, start + i, 1, ref);
  },
  (x) => x.replace(/(<saml:NameID\b[^>]*>)([^<]+)</, '$1<![CDATA[$2]]><'),
  (x) => x.replace(/<saml:Issuer>/g, '<saml:Issuer >'),
  (x) => x.replace(/ Version="2.0"/g, " Version='2.0'"),
  (x) => x.replace(/<(samlp:Response|saml:Assertion)\b/, `<$1 xmlns:unused="urn:unused"`),
];

export const MUTATION_FAMILIES = { wrappings, structural, values, dsig, namespaces, equivalents };

/** One mutation of one family picked by the PRNG; null when it does not apply to this XML. */
export function mutate(xml: string, r: Rng): { family: string; xml: string } | null {
  const families = Object.entries(MUTATION_FAMILIES);
  const [family, mutations] = r.pick(families);
  const out = r.pick(mutations)(xml, r);
  return out === null || out === xml ? null : { family, xml: out };
}
