/**
 * The reference of bench/scim-sync.bench.ts: SCIM 2.0 Users and Groups endpoints built the
 * way scimmy's README shows (SCIMMY.Resources.User and .Group with ingress/egress
 * handlers), keeping resources in Maps in memory — no database, no audit, no linking, no
 * roles: the library's own floor for the same requests. In a process of its own (the bench
 * pins it to CPU 0, as the harness pins Latchkey). Environment: PEER_PORT. Answers
 * `GET /Users|/Groups?filter=userName|displayName eq "…"` (by an index, as a store would),
 * `POST /Users|/Groups` and `PATCH /Groups/{id}`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import SCIMMY from 'scimmy';

interface Stored {
  id: string;
  [attribute: string]: unknown;
}

/** One resource type's Map and its index by the unique name attribute. */
function memoryStore(resourceType: string, nameAttribute: 'userName' | 'displayName') {
  const byId = new Map<string, Stored>();
  const byName = new Map<string, string>();
  const nameOf = (data: object) =>
    String((data as Record<string, unknown>)[nameAttribute]).toLowerCase();
  return {
    byName,
    write(id: string | undefined, data: object): Stored {
      const now = new Date();
      if (id) {
        const before = byId.get(id);
        if (!before) throw new SCIMMY.Types.Error(404, null!, `${id} not found`);
        const after = { ...before, ...data, id };
        byId.set(id, after);
        return after;
      }
      if (byName.has(nameOf(data)))
        throw new SCIMMY.Types.Error(409, 'uniqueness', `${nameAttribute} is taken`);
      const created = {
        ...data,
        id: randomUUID(),
        meta: { resourceType, location: '', created: now, lastModified: now },
      };
      byId.set(created.id, created);
      byName.set(nameOf(data), created.id);
      return created;
    },
    read(id: string | undefined, filter: { match(values: unknown[]): unknown[] } | undefined) {
      if (id) {
        const found = byId.get(id);
        return found ? [found] : [];
      }
      const all = [...byId.values()];
      return filter ? (filter.match(all) as Stored[]) : all;
    },
  };
}

const users = memoryStore('User', 'userName');
const groups = memoryStore('Group', 'displayName');
/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   scimmy's handler types want its own schema classes; the Maps hold plain SCIM JSON. */
SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource, data) => users.write(resource.id, data) as any)
  .egress((resource) => users.read(resource.id, resource.filter) as any);
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, data) => groups.write(resource.id, data) as any)
  .egress((resource) => groups.read(resource.id, resource.filter) as any);
/* eslint-enable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any */

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/scim+json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
};

const list = (found: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: found.length,
  startIndex: 1,
  itemsPerPage: found.length,
  Resources: found,
});

async function answer(method: string, url: URL, body: () => object): Promise<[number, unknown]> {
  const [, type, id] = url.pathname.split('/');
  const Resource = type === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group;
  const store = type === 'Users' ? users : groups;
  const byName = /^(?:userName|displayName) eq "([^"]*)"$/i.exec(
    url.searchParams.get('filter') ?? '',
  );
  if (method === 'GET' && !id && byName) {
    // What a store's index gives (Latchkey narrows the same filters in SQL): one lookup,
    // not scimmy's match over every resource.
    const found = store.byName.get(byName[1]!.toLowerCase());
    return [200, list(found ? [await new Resource(found).read()] : [])];
  }
  if (method === 'POST' && !id) return [201, await new Resource().write(body())];
  if (method === 'PATCH' && id) {
    const message = body() as Parameters<InstanceType<typeof Resource>['patch']>[0];
    return [200, await new Resource(id).patch(message)];
  }
  return [404, { status: '404' }];
}

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://peer');
      const body = () => JSON.parse(Buffer.concat(chunks).toString('utf8')) as object;
      answer(req.method ?? 'GET', url, body).then(
        ([status, result]) => send(res, status, result),
        (error: unknown) => {
          const status = error instanceof SCIMMY.Types.Error ? error.status : 500;
          send(res, status, { status: String(status), detail: (error as Error).message });
        },
      );
    });
  })
  .listen(Number(process.env.PEER_PORT), '127.0.0.1', () => process.send?.('ready'));
