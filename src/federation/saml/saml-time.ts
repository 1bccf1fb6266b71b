/**
 * SAML time values (SAML core §1.3.3): xs:dateTime in UTC. A value without a zone
 * designator is UTC, not the server's local time (Date.parse would read it as local);
 * anything that is not an xs:dateTime is null. Milliseconds since the epoch otherwise.
 */
const XS_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function parseSamlTime(value: string): number | null {
  const match = XS_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const ms = Date.parse(match[1] === undefined ? `${value.trim()}Z` : value.trim());
  return Number.isFinite(ms) ? ms : null;
}
