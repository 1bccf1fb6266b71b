/**
 * Where a browser may be sent after signing in (an open redirect is an attack tool):
 * a path on Latchkey itself, or exactly one of the registered client redirect URIs.
 * Anything else is refused, never followed.
 */
export function safeReturnTarget(
  raw: unknown,
  isRegisteredRedirectUri: (uri: string) => boolean,
): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  // Same origin: one leading slash, no scheme-relative `//`, no backslash tricks, no
  // control characters that browsers strip.
  if (raw.startsWith('/')) {
    if (raw.startsWith('//') || raw.includes('\\') || hasControlCharacter(raw)) return null;
    return raw;
  }
  return isRegisteredRedirectUri(raw) ? raw : null;
}

export const DEFAULT_RETURN_TARGET = '/account';

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
