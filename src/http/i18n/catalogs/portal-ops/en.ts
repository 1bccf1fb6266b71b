/**
 * English messages of the setup portal's test sign-in report, Directory sync, Audit log and Sessions steps: a part of the source catalog (../en.ts spreads it in).
 * Keys are `portal.*`; every other locale's part has exactly these keys.
 */
export const portalOpsEn = {};

/** A locale's part: every key of the English part, none other. */
export type PortalOpsPart = Record<keyof typeof portalOpsEn, string>;
