/**
 * An org's primary colour and the text drawn on it. Only `#rrggbb` is accepted (lower-cased
 * on the way in): nothing else can reach a page's CSS, so a colour cannot close a rule or
 * smuggle a url(). The text on the colour is white or near-black, whichever reads better;
 * a colour on which neither reaches WCAG 2.2's 4.5:1 (SC 1.4.3, normal text) is refused.
 */
export const PRIMARY_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** Text on the colour, and the colour's stand-in where it is drawn as text on white. */
export const WHITE = '#ffffff';
export const NEAR_BLACK = '#111111';

/** WCAG 2.2 SC 1.4.3: the least contrast ratio for normal-size text. */
export const MIN_CONTRAST = 4.5;

/** WCAG 2.2 relative luminance of an sRGB `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2.2 contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

export interface ColorScheme {
  /** The org's colour: buttons' background. */
  accent: string;
  /** Text on the accent: white or near-black, at least 4.5:1 against it. */
  accentInk: string;
  /**
   * The accent where it is itself text on the white card (links, secondary buttons): the
   * colour when it reads on white, else near-black.
   */
  accentText: string;
}

/** The scheme of a colour, or null where neither white nor near-black text reads on it. */
export function colorScheme(color: string): ColorScheme | null {
  const accent = color.toLowerCase();
  const onWhite = contrastRatio(accent, WHITE);
  const onDark = contrastRatio(accent, NEAR_BLACK);
  if (Math.max(onWhite, onDark) < MIN_CONTRAST) return null;
  return {
    accent,
    accentInk: onWhite >= onDark ? WHITE : NEAR_BLACK,
    accentText: onWhite >= MIN_CONTRAST ? accent : NEAR_BLACK,
  };
}
