import assert from 'node:assert/strict';

/**
 * Asserts that a response sends the browser on, and returns where to: a 303's Location,
 * or the meta refresh of the hand-off page Latchkey answers form POSTs with (a
 * cross-origin 303 there would be blocked by CSP form-action 'self'), a page without
 * script.
 */
export async function expectForwardPage(res: Response): Promise<string> {
  if (res.status === 303) return res.headers.get('location')!;
  assert.equal(res.status, 200, `expected a redirect or a hand-off page, got ${res.status}`);
  const page = await res.clone().text();
  const url = /<meta http-equiv="refresh" content="0; url=([^"]+)"/.exec(page)?.[1];
  assert.ok(url, 'the page forwards the browser by meta refresh');
  assert.doesNotMatch(page, /<script/i);
  return url.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
}
