import type { Router } from 'express';

export interface RouteEntry {
  method: string;
  /** Express path template, e.g. /api/v1/orgs/:orgId */
  path: string;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route a set of routers declares, with its mount prefix: how the test suite
 * checks that openapi.yaml documents exactly the routes that exist. Routers here declare
 * full paths themselves (no nested mounts), so one level is all there is.
 */
export function listRoutes(routers: Router[], prefix = ''): RouteEntry[] {
  return routers.flatMap((router) =>
    (router.stack as LayerLike[]).flatMap((layer) => {
      if (!layer.route || typeof layer.route.path !== 'string') return [];
      const path = prefix + layer.route.path;
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method: method.toUpperCase(), path }));
    }),
  );
}
