import type { PortalSetupPart } from './en.js';

export const portalSetupFr: PortalSetupPart = {};
