/**
 * English messages of the setup portal's frame, its overview, the Domain and SSO steps and the IdP guides: a part of the source catalog (../en.ts spreads it in).
 * Keys are `portal.*`; every other locale's part has exactly these keys.
 */
export const portalSetupEn = {};

/** A locale's part: every key of the English part, none other. */
export type PortalSetupPart = Record<keyof typeof portalSetupEn, string>;
