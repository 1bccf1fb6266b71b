import { Router } from 'express';
import type { DomainService } from './domain-service.js';

// STUB — to be implemented (issue 3, domains).
export function domainsRouter(_domains: DomainService): Router {
  return Router();
}
