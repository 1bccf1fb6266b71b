/**
 * The reference of bench/scim-sync.bench.ts: a SCIM 2.0 Users endpoint built the way
 * scimmy's README shows (SCIMMY.Resources.User with ingress/egress handlers), keeping users
 * in a Map in memory — no database, no audit, no linking: the library's own floor for the
 * same requests. In a process of its own (the bench pins it to CPU 0, as the harness pins
 * Latchkey). Environment: PEER_PORT. Answers GET /Users?filter=… and POST /Users only.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import SCIMMY from 'scimmy';

type StoredUser = SCIMMY.Schemas.User;
const users = new Map<string, StoredUser>();
const byUserName = new Map<string, string>();

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((_resource, data) => {
    const userName = String((data as { userName: string }).userName).toLowerCase();
    if (byUserName.has(userName))
      throw new SCIMMY.Types.Error(409, 'uniqueness', 'userName is taken');
    const id = randomUUID();
    const now = new Date();
    const meta = {
      resourceType: 'User',
      location: `/Users/${id}`,
      created: now,
      lastModified: now,
    };
    const user = { ...data, id, meta } as StoredUser;
    users.set(id, user);
    byUserName.set(userName, id);
    return user;
  })
  .egress((resource) => {
    if (resource.id) {
      const user = users.get(resource.id);
      return user ? [user] : [];
    }
    const all = [...users.values()];
    return resource.filter ? (resource.filter.match(all) as StoredUser[]) : all;
  });

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/scim+json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
};

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const url = new URL(req.url ?? '/', 'http://peer');
          const byName = /^userName eq "([^"]*)"$/i.exec(url.searchParams.get('filter') ?? '');
          if (req.method === 'GET' && url.pathname === '/Users' && byName) {
            // What a store's index on userName gives (Latchkey narrows the same filter in
            // SQL): one lookup, not scimmy's match over every user.
            const id = byUserName.get(byName[1]!.toLowerCase());
            const found = id ? [await new SCIMMY.Resources.User(id).read()] : [];
            send(res, 200, {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
              totalResults: found.length,
              startIndex: 1,
              itemsPerPage: found.length,
              Resources: found,
            });
          } else if (req.method === 'GET' && url.pathname === '/Users') {
            const filter = url.searchParams.get('filter') ?? undefined;
            const list = await new SCIMMY.Resources.User(
              undefined,
              filter ? { filter } : {},
            ).read();
            send(res, 200, list);
          } else if (req.method === 'POST' && url.pathname === '/Users') {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as object;
            send(res, 201, await new SCIMMY.Resources.User().write(body));
          } else send(res, 404, { status: '404' });
        } catch (error) {
          const status = error instanceof SCIMMY.Types.Error ? error.status : 500;
          send(res, status, { status: String(status), detail: (error as Error).message });
        }
      })();
    });
  })
  .listen(Number(process.env.PEER_PORT), '127.0.0.1', () => process.send?.('ready'));
