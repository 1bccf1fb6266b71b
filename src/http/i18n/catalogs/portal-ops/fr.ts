import type { PortalOpsPart } from './en.js';

export const portalOpsFr: PortalOpsPart = {};
