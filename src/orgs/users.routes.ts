import { Router } from 'express';
import type { UserService } from './user-service.js';

// STUB — to be implemented (issue 3, users).
export function usersRouter(_users: UserService): Router {
  return Router();
}
