import type { PortalSetupPart } from './en.js';

export const portalSetupAr: PortalSetupPart = {};
