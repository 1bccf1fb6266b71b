/**
 * oidc-provider writes its notices to the console (on Node 20: "Unsupported runtime", at
 * load; "development-only in-memory adapter", at construction). The demo IdP routes those
 * lines, and only those, to its logger while it loads and builds the provider; every other
 * console line passes through untouched. The patch is held only for the duration of the
 * call and then restored.
 */

export type NoticeSink = (message: string) => void;

const isProviderNotice = (args: unknown[]) =>
  typeof args[0] === 'string' && /oidc-provider (?:WARNING|NOTICE): /.test(args[0]);

// The colour codes oidc-provider adds on a TTY (ESC [ … m).
const ANSI_SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const stripAnsi = (text: string) => text.replace(ANSI_SGR, '');

type ConsoleMethod = (...args: unknown[]) => void;

/**
 * Routes oidc-provider's console notices (only those: every other line passes through
 * untouched) to `notice` while `fn` runs.
 */
function patchConsole(notice: NoticeSink): () => void {
  const { warn, info } = console;
  const route =
    (original: ConsoleMethod): ConsoleMethod =>
    (...args) => {
      if (isProviderNotice(args)) notice(stripAnsi(String(args[0])));
      else original.apply(console, args);
    };
  console.warn = route(warn);
  console.info = route(info);
  return () => {
    console.warn = warn;
    console.info = info;
  };
}

export function withNoticesTo<T>(notice: NoticeSink, fn: () => T): T {
  const restore = patchConsole(notice);
  try {
    return fn();
  } finally {
    restore();
  }
}

export async function withNoticesToAsync<T>(notice: NoticeSink, fn: () => Promise<T>): Promise<T> {
  const restore = patchConsole(notice);
  try {
    return await fn();
  } finally {
    restore();
  }
}
