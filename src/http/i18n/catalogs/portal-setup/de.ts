import type { PortalSetupPart } from './en.js';

export const portalSetupDe: PortalSetupPart = {};
