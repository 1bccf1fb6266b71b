import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  isPluralElement,
  isSelectElement,
  parse,
  TYPE,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { CATALOGS } from '../../src/http/i18n/catalogs/index.js';
import { en } from '../../src/http/i18n/catalogs/en.js';
import { translatorFor, type MessageKey } from '../../src/http/i18n/translator.js';
import { SHIPPED_LOCALES } from '../../src/platform/locales.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CATALOG_DIR = path.join(SRC, 'http/i18n/catalogs');
const KEYS = Object.keys(en).sort();

/** Every placeholder a message names (plural and select variables included), sorted. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): string[] {
  for (const element of elements) {
    if (element.type !== TYPE.literal && element.type !== TYPE.pound && 'value' in element) {
      into.add(String(element.value));
    }
    if (isPluralElement(element) || isSelectElement(element)) {
      for (const option of Object.values(element.options)) placeholders(option.value, into);
    }
  }
  return [...into].sort();
}

/** Plurals and selects without the `other` case ICU requires of them. */
const missingOther = (elements: MessageFormatElement[]): boolean =>
  elements.some(
    (e) =>
      ((isPluralElement(e) || isSelectElement(e)) && !('other' in e.options)) ||
      ((isPluralElement(e) || isSelectElement(e)) &&
        Object.values(e.options).some((o) => missingOther(o.value))),
  );

/** The text of every source file outside the catalogs: where a used key is written. */
async function sourceText(dir = SRC): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== CATALOG_DIR) parts.push(await sourceText(full));
    } else if (entry.name.endsWith('.ts')) parts.push(await readFile(full, 'utf8'));
  }
  return parts.join('\n');
}

describe('the message catalogs of the end-user pages', () => {
  it('when a locale is shipped, then its catalog has exactly the English keys: none missing, none extra', () => {
    assert.deepEqual(Object.keys(CATALOGS).sort(), [...SHIPPED_LOCALES].sort());
    for (const locale of SHIPPED_LOCALES) {
      const keys = Object.keys(CATALOGS[locale]).sort();
      assert.deepEqual(
        KEYS.filter((k) => !keys.includes(k)),
        [],
        `${locale}: keys missing`,
      );
      assert.deepEqual(
        keys.filter((k) => !KEYS.includes(k)),
        [],
        `${locale}: keys English does not have`,
      );
      for (const key of KEYS) {
        const message = (CATALOGS[locale] as Record<string, string>)[key];
        assert.ok(typeof message === 'string' && message.trim(), `${locale} ${key}: empty`);
      }
    }
  });

  it('when a key is in the catalog, then the code uses it (written out in full, in quotes)', async () => {
    const source = await sourceText();
    const unused = KEYS.filter((key) => !source.includes(`'${key}'`));
    assert.deepEqual(unused, [], 'keys no code uses: remove them, or write the key out in full');
  });

  it('when a message is parsed as ICU MessageFormat, then it parses, its plurals have `other`, and it names the same placeholders in every locale', () => {
    for (const key of KEYS as MessageKey[]) {
      const english = placeholders(parse(en[key]));
      for (const locale of SHIPPED_LOCALES) {
        const message = CATALOGS[locale][key];
        let elements: MessageFormatElement[];
        try {
          elements = parse(message);
        } catch (error) {
          assert.fail(`${locale} ${key} does not parse: ${(error as Error).message}`);
        }
        assert.deepEqual(placeholders(elements), english, `${locale} ${key}: placeholders`);
        assert.equal(missingOther(elements), false, `${locale} ${key}: a plural without other`);
      }
    }
  });

  it('when a message is formatted with values, then every locale says it without a placeholder left over, and translations are not English copies', () => {
    const values = {
      email: 'a@b.test',
      current: 'c@b.test',
      name: 'Ada',
      device: 'X',
      browser: 'B',
      system: 'S',
      time: 'T',
      wait: 'W',
      count: 3,
      // The setup portal's.
      domain: 'd.test',
      record: '_r.d.test',
      detail: 'D',
      reason: 'r_code',
      label: 'L',
      idp: 'I',
      protocol: 'P',
      type: 'x/y',
      example: 'https://e.test',
    };
    for (const locale of SHIPPED_LOCALES) {
      const t = translatorFor(locale);
      let same = 0;
      for (const key of KEYS as MessageKey[]) {
        const text = t.t(key, values);
        assert.doesNotMatch(text, /[{}]/, `${locale} ${key}: ${text}`);
        if (locale !== 'en' && text === translatorFor('en').t(key, values)) same += 1;
      }
      // A few words are the same in two languages ("Action", "Message", "Browser").
      assert.ok(same <= 4, `${locale}: ${same} messages are the English ones`);
    }
  });

  it('when a count needs a plural, then each language uses its own forms (Arabic has six)', () => {
    const ended = (locale: (typeof SHIPPED_LOCALES)[number], count: number) =>
      translatorFor(locale).t('account.ended', { count });
    assert.equal(ended('en', 1), 'Signed out 1 other session.');
    assert.equal(ended('en', 2), 'Signed out 2 other sessions.');
    assert.equal(ended('de', 1), '1 andere Sitzung abgemeldet.');
    assert.equal(ended('ar', 2), 'تم تسجيل الخروج من جلستين أخريين.');
    assert.equal(ended('ar', 3), 'تم تسجيل الخروج من 3 جلسات أخرى.');
    assert.equal(ended('ar', 11), 'تم تسجيل الخروج من 11 جلسة أخرى.');
    assert.equal(translatorFor('fr').wait(90), '2 minutes');
    assert.equal(translatorFor('ja').wait(1), '1秒');
    assert.match(
      translatorFor('de').dateTime(new Date(Date.UTC(2026, 11, 7, 15, 4))),
      /7\. Dez\. 2026.*15:04 UTC/,
    );
  });
});
