// Lists the routes an Express app serves (method + path in OpenAPI form), by walking its router stack. Used by the
// test that holds /api/openapi.json to every route, so a route added without describing it fails a test.
import type { Express } from 'express';

export interface AppRoute {
  method: string;
  /** OpenAPI style: `/api/interviews/{id}`. `ALL` for router.all(). */
  path: string;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

export function routesOf(app: Express): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        // router.all() shows as method `_all` (reported as ALL); an array of paths is several routes
        const paths = (Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]).filter(
          (p): p is string => typeof p === 'string',
        );
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on)
              out.push({
                method: method === '_all' ? 'ALL' : method.toUpperCase(),
                path: toOpenApiPath(join(prefix, p)),
              });
          }
        }
      } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
        walk(layer.handle.stack, join(prefix, layer.rawPath));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(`${r.method} ${r.path}`) ? false : (seen.add(`${r.method} ${r.path}`), true)));
}

function join(a: string, b: string): string {
  const joined = `${a.replace(/\/+$/, '')}/${b.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

/** `/api/interviews/:id` → `/api/interviews/{id}`; `*rest` wildcards → `{rest}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
}
