import type { PortalSetupPart } from './en.js';

export const portalSetupEs: PortalSetupPart = {};
