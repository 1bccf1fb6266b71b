import { z } from 'zod';
import { colorScheme, MIN_CONTRAST, PRIMARY_COLOR_PATTERN } from './branding-color.js';

/** The most characters of an org's display name (the header has room for this many). */
export const MAX_DISPLAY_NAME = 80;

// Plain text, one line: no control characters (C0, DEL, C1) and no line or paragraph
// separators. Pages escape it anyway; this keeps a name a name in audit trails and logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_DISPLAY_NAME)
  .refine((name) => !CONTROL.test(name), 'must be plain text on one line');

const primaryColor = z
  .string()
  .regex(PRIMARY_COLOR_PATTERN, 'must be a #rrggbb colour')
  .transform((color) => color.toLowerCase())
  .refine(
    (color) => colorScheme(color) !== null,
    `neither white nor near-black text reaches a ${MIN_CONTRAST}:1 contrast on it; choose a lighter or darker colour`,
  );

/** PATCH /orgs/{orgId}/branding: each field sent replaces the org's; null resets it. */
export const UpdateBrandingBody = z.strictObject({
  display_name: displayName.nullable().optional(),
  primary_color: primaryColor.nullable().optional(),
});
