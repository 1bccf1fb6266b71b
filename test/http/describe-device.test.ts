import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeDevice } from '../../src/http/views/pages.js';
import { translatorFor } from '../../src/http/i18n/translator.js';

/** Issue 20: the account page names each session's device as a person would. */
const CASES: Array<[string | null, string]> = [
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Safari on iPhone',
  ],
  [
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1',
    'Chrome on iPad',
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    'Safari on macOS',
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
    'Edge on Windows',
  ],
  [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Chrome on Android',
  ],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'Firefox on Linux'],
  ['curl/8.0', 'Browser on unknown system'],
  [null, 'Unknown device'],
];

it('when a session’s user agent is described, then an iPhone is an iPhone (not a Mac), and every other device is named by browser and system', () => {
  for (const [userAgent, expected] of CASES) {
    assert.equal(describeDevice(translatorFor('en'), userAgent), expected, String(userAgent));
  }
  // In the page's language: the names stay, the words around them are translated.
  assert.equal(describeDevice(translatorFor('de'), CASES[0]![0]), 'Safari auf iPhone');
  assert.equal(describeDevice(translatorFor('ar'), null), 'جهاز غير معروف');
});
