import { Router } from 'express';
import type { KeyRing } from './key-ring.js';

/** GET /.well-known/jwks.json: every published public key (next, active, recently retired). */
export function jwksRouter(keyRing: KeyRing): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', (_req, res) => {
    // Relying parties may cache it briefly; a next key is published well before it signs.
    res
      .set('Cache-Control', 'public, max-age=300')
      .type('application/jwk-set+json')
      .json(keyRing.jwks());
  });
  return router;
}
