import { Router } from 'express';
import type { ConnectionService } from './connection-service.js';

// STUB — to be implemented (issue 3, connections).
export function connectionsRouter(_connections: ConnectionService): Router {
  return Router();
}
