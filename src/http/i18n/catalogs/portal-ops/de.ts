import type { PortalOpsPart } from './en.js';

export const portalOpsDe: PortalOpsPart = {};
