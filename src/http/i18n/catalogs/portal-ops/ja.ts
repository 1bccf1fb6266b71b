import type { PortalOpsPart } from './en.js';

export const portalOpsJa: PortalOpsPart = {};
