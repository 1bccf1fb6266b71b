import type { PortalSetupPart } from './en.js';

export const portalSetupJa: PortalSetupPart = {};
