import { AppError } from '../platform/errors.js';

/**
 * What an uploaded logo is, from its own bytes: the declared Content-Type must match the
 * file's signature, and its dimensions are read from its header. Raster formats only: an
 * SVG is a document that can carry script, so it is never accepted, whatever it is called.
 */
export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

/** Larger than any header or footer needs; a bound on what a page makes a browser decode. */
export const MAX_LOGO_PIXELS_PER_SIDE = 4096;

export interface LogoImage {
  contentType: LogoContentType;
  width: number;
  height: number;
}

const startsWith = (bytes: Buffer, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const ascii = (bytes: Buffer, at: number, text: string) =>
  bytes.length >= at + text.length && bytes.toString('latin1', at, at + text.length) === text;

/** PNG §5.2–5.3: the signature, then IHDR first, whose first 8 bytes are width and height. */
function pngSize(bytes: Buffer): [number, number] | null {
  if (!startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return null;
  if (bytes.length < 24 || !ascii(bytes, 12, 'IHDR')) return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** JPEG (ITU T.81 B.1): SOI, then segments up to a start-of-frame marker carrying the size. */
function jpegSize(bytes: Buffer): [number, number] | null {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return null;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return [bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5)];
    }
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return null;
}

/** WebP (RFC 9649): a RIFF container whose first chunk is VP8, VP8L or VP8X. */
function webpSize(bytes: Buffer): [number, number] | null {
  if (!ascii(bytes, 0, 'RIFF') || !ascii(bytes, 8, 'WEBP') || bytes.length < 30) return null;
  if (ascii(bytes, 12, 'VP8 ') && startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) {
    return [bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff];
  }
  if (ascii(bytes, 12, 'VP8L') && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (ascii(bytes, 12, 'VP8X')) {
    return [bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1];
  }
  return null;
}

const SIZE_OF: Record<LogoContentType, (bytes: Buffer) => [number, number] | null> = {
  'image/png': pngSize,
  'image/jpeg': jpegSize,
  'image/webp': webpSize,
};

const refuse = (code: string, message: string, field = 'body', status = 400) =>
  new AppError(code, message, { status, fields: [{ field, message }] });

/** The declared media type, without parameters, lower-cased; '' when none was sent. */
export const mediaTypeOf = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The logo in `bytes`, declared as `contentType`: 415 for a type that is not a PNG, JPEG
 * or WebP; 400 logo_type_mismatch when the bytes are not what the type says (an HTML or
 * SVG page called image/png); 400 logo_dimensions_invalid when its size is unreadable, 0
 * or over MAX_LOGO_PIXELS_PER_SIDE.
 */
export function inspectLogo(contentType: string | undefined, bytes: Buffer): LogoImage {
  const declared = mediaTypeOf(contentType);
  if (!(LOGO_CONTENT_TYPES as readonly string[]).includes(declared)) {
    throw new AppError(
      'unsupported_media_type',
      'A logo must be sent as image/png, image/jpeg or image/webp.',
      {
        status: 415,
        fields: [{ field: 'Content-Type', message: 'must be image/png, image/jpeg or image/webp' }],
      },
    );
  }
  const type = declared as LogoContentType;
  const size = SIZE_OF[type](bytes);
  if (!size) {
    const actual = LOGO_CONTENT_TYPES.find((other) => other !== type && SIZE_OF[other](bytes));
    throw refuse(
      'logo_type_mismatch',
      actual
        ? `The body is ${actual}, not the ${type} its Content-Type says.`
        : `The body is not a ${type} image.`,
    );
  }
  const [width, height] = size;
  if (
    width < 1 ||
    height < 1 ||
    width > MAX_LOGO_PIXELS_PER_SIDE ||
    height > MAX_LOGO_PIXELS_PER_SIDE
  ) {
    throw refuse(
      'logo_dimensions_invalid',
      `A logo must be 1 to ${MAX_LOGO_PIXELS_PER_SIDE} pixels on each side (this one is ${width}×${height}).`,
    );
  }
  return { contentType: type, width, height };
}
