import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import type { Locale } from '../../platform/locales.js';
import { CATALOGS } from './catalogs/index.js';
import type { MessageKey } from './catalogs/en.js';

export type { MessageKey } from './catalogs/en.js';

/** The values of a message's placeholders. */
export type MessageValues = Record<string, string | number>;

/** The messages and formats of one locale, for the views. */
export interface Translator {
  readonly locale: Locale;
  /** The writing direction of `<html dir>`: Arabic is right-to-left. */
  readonly dir: 'ltr' | 'rtl';
  // Functions, not methods: views take them out of the object (`const { t } = text`).
  /** The message `key`, its placeholders filled (ICU MessageFormat). */
  readonly t: (key: MessageKey, values?: MessageValues) => string;
  /** An instant as this locale writes a date and time, in UTC. */
  readonly dateTime: (date: Date) => string;
  /** "5 seconds", "2 minutes", "1 hour": a wait, rounded up as Retry-After is. */
  readonly wait: (seconds: number) => string;
}

const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['ar']);
const cache = createIntlCache();
const translators = new Map<Locale, Translator>();

function create(locale: Locale): Translator {
  const intl: IntlShape<string> = createIntl(
    {
      locale,
      defaultLocale: 'en',
      messages: CATALOGS[locale],
      // A message that does not format is a bug the catalog test exists to catch; at run
      // time it must not pass silently as a raw message id.
      onError: (error) => {
        throw error;
      },
    },
    cache,
  );
  const dir = RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
  // In right-to-left text, an email or a name written left-to-right is isolated (Unicode
  // FSI … PDI, as Fluent does): "alice@acme.test." must not have its dot moved by the
  // bidi algorithm, nor reorder the words around it.
  const isolated = (values: MessageValues | undefined) =>
    values && dir === 'rtl'
      ? Object.fromEntries(
          Object.entries(values).map(([name, value]) => [
            name,
            typeof value === 'string' ? `\u2068${value}\u2069` : value,
          ]),
        )
      : values;
  const t = (key: MessageKey, values?: MessageValues) =>
    intl.formatMessage({ id: key }, isolated(values));
  return {
    locale,
    dir,
    t,
    dateTime: (date) =>
      t('account.time', {
        time: intl.formatDate(date, {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
          timeZone: 'UTC',
        }),
      }),
    wait: (seconds) => {
      if (seconds < 60) return t('wait.seconds', { count: seconds });
      if (seconds < 3600) return t('wait.minutes', { count: Math.ceil(seconds / 60) });
      return t('wait.hours', { count: Math.ceil(seconds / 3600) });
    },
  };
}

/** The translator of a shipped locale (one per locale, made on first use). */
export function translatorFor(locale: Locale): Translator {
  let translator = translators.get(locale);
  if (!translator) {
    translator = create(locale);
    translators.set(locale, translator);
  }
  return translator;
}
