import type { PortalOpsPart } from './en.js';

export const portalOpsAr: PortalOpsPart = {};
