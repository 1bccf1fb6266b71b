import { Router } from 'express';
import type { ClientService } from './client-service.js';

// STUB — to be implemented (issue 3, OAuth clients).
export function clientsRouter(_clients: ClientService): Router {
  return Router();
}
