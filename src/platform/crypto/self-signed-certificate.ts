import { createSign, randomBytes, type KeyObject } from 'node:crypto';

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for an RSA key, signed with
 * sha256WithRSAEncryption. node:crypto reads certificates but cannot make one, and
 * SAML only needs a certificate as a carrier of the public key (trust comes from the
 * metadata exchange, never from a CA), so this writes the few DER structures by hand
 * instead of pulling in an X.509 library. Used for Latchkey's development SAML SP key
 * and by the tests' identity providers.
 */
export function createSelfSignedCertificate(options: {
  privateKey: KeyObject;
  publicKey: KeyObject;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): string {
  const sha256WithRsa = sequence(oid('1.2.840.113549.1.1.11'), NULL);
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(options.commonName))));
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = sequence(
    tagged(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    sha256WithRsa,
    name,
    sequence(time(options.notBefore), time(options.notAfter)),
    name,
    options.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = createSign('sha256').update(tbs).sign(options.privateKey);
  const der = sequence(tbs, sha256WithRsa, bitString(signature));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

const NULL = Buffer.from([0x05, 0x00]);

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const tagged = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));

function integer(bytes: Buffer): Buffer {
  // DER: minimal two's complement, so a leading 1 bit needs a 0x00 in front.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1]! < 0x80) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const out = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) chunk.unshift(0x80 | (n & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(date: Date): Buffer {
  const iso = date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}/, '');
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(iso, 'ascii'));
}
