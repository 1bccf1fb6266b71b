import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** A domain name in its one stored form, or why the input is not one we accept. */
export type DomainNameResult = { ok: true; domain: string } | { ok: false; reason: string };

// RFC 1035 §2.3.4 / RFC 1123 §2.1: letters, digits and hyphens; 63 octets a label,
// 253 a name (without the trailing root dot).
const MAX_LABEL_LENGTH = 63;
const MAX_NAME_LENGTH = 253;
const LDH_LABEL = /^[a-z0-9-]+$/;
// UTS 46 §2.3: these full stops separate labels just like "." (U+FF0E and U+FF61 are
// already "." and U+3002 after NFKC).
const IDEOGRAPHIC_FULL_STOP = /\u3002/g;
const NON_ASCII = /\P{ASCII}/u;
// Every ASCII character but letters, digits, "-" and ".": they never belong in a host
// name, and some ("/", "?", "#", "@", "%") would make the URL host parser behind
// domainToASCII cut or decode the name rather than refuse it.
const FORBIDDEN_ASCII = /(?![a-z0-9.-])\p{ASCII}/u;

const refuse = (reason: string): DomainNameResult => ({ ok: false, reason });

/** One label to its ASCII form: IDNA (UTS 46) for U-labels and A-labels, as is otherwise. */
function toAsciiLabel(label: string): string | null {
  if (!NON_ASCII.test(label) && !label.startsWith('xn--')) return label;
  // Label by label, so that the URL host parser's IPv4 rules never apply to the name.
  const ascii = domainToASCII(label);
  return ascii && !ascii.includes('.') ? ascii : null;
}

/**
 * The form a domain is stored, compared and looked up in: trimmed, lower-case, IDN as
 * punycode (`bücher.example` → `xn--bcher-kva.example`), without the root dot. Refuses
 * what cannot be an org's email domain: wildcards, IP addresses, single-label names,
 * `localhost`, and anything that is not letters, digits and hyphens once in ASCII.
 */
export function normaliseDomain(input: string): DomainNameResult {
  let name = input.normalize('NFKC').trim().toLowerCase().replace(IDEOGRAPHIC_FULL_STOP, '.');
  if (!name) return refuse('is required');
  if (name.includes('*')) return refuse('must not be a wildcard');
  if (isIP(name) || name.startsWith('[')) return refuse('must be a domain name, not an IP address');
  if (FORBIDDEN_ASCII.test(name))
    return refuse('may contain only letters, digits, hyphens and dots');
  if (name.endsWith('.')) name = name.slice(0, -1);

  const labels: string[] = [];
  for (const label of name.split('.')) {
    if (!label) return refuse('must not have an empty label');
    const ascii = toAsciiLabel(label);
    if (ascii === null) return refuse('is not a valid internationalised domain name');
    labels.push(ascii);
  }
  const domain = labels.join('.');

  // WHATWG URL: a host whose last label is numeric is an IPv4 address (127.1, 0x7f.1).
  const last = labels[labels.length - 1]!;
  if (isIP(domain) || /^(?:[0-9]+|0x[0-9a-f]*)$/.test(last)) {
    return refuse('must be a domain name, not an IP address');
  }
  // RFC 6761 §6.3: localhost names never leave the machine.
  if (last === 'localhost') return refuse('must not be localhost');
  if (labels.length < 2) return refuse('must have at least two labels (e.g. example.com)');
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      return refuse(`must not have a label longer than ${MAX_LABEL_LENGTH} characters`);
    }
    if (!LDH_LABEL.test(label)) return refuse('may contain only letters, digits, hyphens and dots');
    if (label.startsWith('-') || label.endsWith('-')) {
      return refuse('must not have a label that starts or ends with a hyphen');
    }
  }
  if (domain.length > MAX_NAME_LENGTH) {
    return refuse(`must be at most ${MAX_NAME_LENGTH} characters`);
  }
  // The whole name must round-trip unchanged through IDNA (e.g. no invalid A-label).
  if (domainToASCII(domain) !== domain) return refuse('is not a valid domain name');
  return { ok: true, domain };
}
