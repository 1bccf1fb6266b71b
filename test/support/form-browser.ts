/**
 * A browser made of fetch: a cookie jar (host and path scoped, like a browser's; ports
 * share cookies, as in browsers) and redirects followed by hand, so a test sees every
 * hop. Enough to drive server-rendered login pages with plain form posts (no script).
 */

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

export interface Hop {
  url: URL;
  status: number;
  location: URL | null;
}

export function createFormBrowser() {
  let cookies: StoredCookie[] = [];

  const store = (url: URL, header: string) => {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=').map((s) => s.trim());
      const lower = key.toLowerCase();
      if (lower === 'path' && val.startsWith('/')) path = val;
      if (lower === 'max-age' && Number(val) <= 0) expired = true;
      if (lower === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    cookies = cookies.filter(
      (c) => !(c.name === name && c.host === url.hostname && c.path === path),
    );
    if (!expired) cookies.push({ name, value, host: url.hostname, path });
  };

  const pathMatches = (cookiePath: string, requestPath: string) =>
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) &&
      (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

  const cookieHeader = (url: URL) =>
    cookies
      .filter((c) => c.host === url.hostname && pathMatches(c.path, url.pathname))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');

  /** One request, redirects not followed; cookies sent and stored. */
  const request = async (target: URL | string, init: RequestInit = {}) => {
    const url = new URL(target);
    const headers = new Headers(init.headers);
    const cookie = cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of res.headers.getSetCookie()) store(url, header);
    const location = res.headers.get('location');
    return { res, url, location: location ? new URL(location, url) : null };
  };

  return {
    request,

    get: (url: URL | string) => request(url),

    /** A form post as a browser sends it (application/x-www-form-urlencoded). */
    postForm: (url: URL | string, fields: Record<string, string>) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      }),

    /**
     * Follows redirects from `start` (a response's Location) until one leads outside
     * `within` (an origin), which is returned unvisited, or a page answers.
     */
    async follow(start: URL, within: string, maxHops = 10) {
      const hops: Hop[] = [];
      let next = start;
      while (next.origin === within) {
        if (hops.length >= maxHops) throw new Error(`more than ${maxHops} redirects`);
        const { res, location } = await request(next);
        hops.push({ url: next, status: res.status, location });
        if (!location) return { hops, page: res, leftTo: null };
        await res.arrayBuffer();
        next = location;
      }
      return { hops, page: null, leftTo: next };
    },
  };
}

export type FormBrowser = ReturnType<typeof createFormBrowser>;
