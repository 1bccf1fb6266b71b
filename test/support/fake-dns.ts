import type { TxtResolver } from '../../src/orgs/index.js';

/**
 * DNS as an org's provider answers it in a test: the TXT records set in `records` (what the
 * IT admin has "published"); any other name is ENOTFOUND, as a real resolver says.
 */
export function fakeTxtDns(): { records: Map<string, string[][]>; resolveTxt: TxtResolver } {
  const records = new Map<string, string[][]>();
  const resolveTxt: TxtResolver = (name) => {
    const found = records.get(name);
    if (found) return Promise.resolve(found);
    return Promise.reject(
      Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }),
    );
  };
  return { records, resolveTxt };
}
