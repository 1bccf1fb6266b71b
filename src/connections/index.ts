export {
  createConnectionService,
  type ConnectionService,
  type OutboundPolicy,
} from './connection-service.js';
export { connectionsRouter } from './connections.routes.js';
