import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorScheme, contrastRatio } from '../../src/orgs/branding-color.js';
import { inspectLogo } from '../../src/orgs/logo-image.js';
import { jpegHeader, tinyPng } from '../support/images.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return null;
};

describe('org colours: the text on them stays readable (WCAG 2.2 SC 1.4.3)', () => {
  it('when contrast is computed, then it matches WCAG reference values', () => {
    assert.equal(contrastRatio('#ffffff', '#000000').toFixed(2), '21.00');
    assert.equal(contrastRatio('#777777', '#ffffff').toFixed(2), '4.48');
    assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
  });

  it('when a colour is dark, light or mid-grey, then its text is white, near-black, or it is refused', () => {
    assert.deepEqual(colorScheme('#0B5FFF'), {
      accent: '#0b5fff',
      accentInk: '#ffffff',
      accentText: '#0b5fff',
    });
    assert.deepEqual(colorScheme('#ffd500'), {
      accent: '#ffd500',
      accentInk: '#111111',
      accentText: '#111111',
    });
    assert.equal(colorScheme('#777777'), null);
    for (const color of ['#000000', '#ffffff', '#2855d8', '#00ff00', '#ff0000', '#8a1538']) {
      const scheme = colorScheme(color)!;
      assert.ok(contrastRatio(scheme.accent, scheme.accentInk) >= 4.5, color);
      assert.ok(contrastRatio(scheme.accentText, '#ffffff') >= 4.5, color);
    }
  });
});

describe('logo uploads: the bytes are what the Content-Type says', () => {
  const webpLossless = Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([22, 0, 0, 0]),
    Buffer.from('WEBPVP8L'),
    Buffer.from([10, 0, 0, 0, 0x2f]),
    // VP8L §3.2.2: width-1 (99) in bits 0-13, height-1 (49) in bits 14-27, little-endian.
    Buffer.from([99, 0x40, 12, 0]),
    Buffer.alloc(6),
  ]);

  it('when a PNG, JPEG or WebP is declared as itself, then its type and size are read', () => {
    assert.deepEqual(inspectLogo('image/png', tinyPng(7, 3)), {
      contentType: 'image/png',
      width: 7,
      height: 3,
    });
    assert.deepEqual(inspectLogo('image/jpeg; charset=binary', jpegHeader()), {
      contentType: 'image/jpeg',
      width: 16,
      height: 8,
    });
    assert.deepEqual(inspectLogo('IMAGE/WEBP', webpLossless), {
      contentType: 'image/webp',
      width: 100,
      height: 50,
    });
  });

  it('when the type is not a raster one, or missing, then unsupported_media_type', () => {
    for (const type of ['image/svg+xml', 'image/svg', 'text/html', '', undefined]) {
      assert.equal(
        codeOf(() => inspectLogo(type, tinyPng())),
        'unsupported_media_type',
      );
    }
  });

  it('when the bytes are another format, truncated or empty, then logo_type_mismatch', () => {
    assert.equal(
      codeOf(() => inspectLogo('image/webp', tinyPng())),
      'logo_type_mismatch',
    );
    assert.equal(
      codeOf(() => inspectLogo('image/png', tinyPng().subarray(0, 20))),
      'logo_type_mismatch',
    );
    assert.equal(
      codeOf(() => inspectLogo('image/png', Buffer.alloc(0))),
      'logo_type_mismatch',
    );
  });

  it('when a side is 0 or over 4096 pixels, then logo_dimensions_invalid', () => {
    assert.equal(
      codeOf(() => inspectLogo('image/png', tinyPng(4097, 1))),
      'logo_dimensions_invalid',
    );
    const zero = tinyPng(1, 1);
    zero.writeUInt32BE(0, 16);
    assert.equal(
      codeOf(() => inspectLogo('image/png', zero)),
      'logo_dimensions_invalid',
    );
  });
});
