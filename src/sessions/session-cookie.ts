/**
 * The browser session cookie (OWASP ASVS V3.4): HttpOnly, SameSite=Lax, Path=/, and on
 * https Secure with the __Host- prefix (no Domain, so no sibling host can set or read it).
 */
export interface SessionCookie {
  name: string;
  options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean };
}

export function sessionCookie(issuer: string, configuredName: string): SessionCookie {
  const secure = issuer.startsWith('https:');
  const name = configuredName || (secure ? '__Host-latchkey' : 'latchkey');
  if (name.startsWith('__Host-') && !secure) {
    throw new Error(
      'a __Host- cookie needs an https issuer; set sessions.cookieName for plain http',
    );
  }
  // OWASP ASVS 3.4.4: over https the prefix pins the cookie to this host, Secure, Path=/.
  if (secure && !name.startsWith('__Host-')) {
    throw new Error(
      'on an https issuer the session cookie name must start with __Host- (or leave sessions.cookieName empty)',
    );
  }
  return { name, options: { httpOnly: true, sameSite: 'lax', path: '/', secure } };
}
