import type { PortalOpsPart } from './en.js';

export const portalOpsEs: PortalOpsPart = {};
