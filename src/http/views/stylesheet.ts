/**
 * The one stylesheet, served from /assets/latchkey.css (the CSP allows no inline style).
 * An org's colour replaces --accent, --accent-ink (text on it) and --accent-text (it as
 * text on white) from a second stylesheet, /branding/theme/<rrggbb>. Logical properties
 * only (inline-start/end, text-align: start): the same rules lay out right-to-left pages
 * (Arabic, <html dir="rtl">) mirrored.
 */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1b2330; --muted: #5b6676; --line: #dfe3ea; --accent: #2855d8; --accent-ink: #fff; --accent-text: var(--accent); --bg: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); min-height: 100vh; display: flex; flex-direction: column; align-items: center; }
.brand { margin: 48px 0 20px; font-weight: 650; font-size: 20px; letter-spacing: .2px; }
.brand-mark { color: var(--accent-text); }
.brand-logo { max-height: 40px; max-width: 200px; vertical-align: middle; margin-inline-end: 8px; }
.card { width: min(440px, calc(100vw - 32px)); background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 32px; box-shadow: 0 1px 2px rgba(16,24,40,.05); }
h1 { font-size: 22px; margin: 0 0 8px; }
.lead { color: var(--muted); margin: 0 0 20px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; font-size: 14px; margin: 0 0 16px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.meta code { display: inline-block; direction: ltr; unicode-bidi: isolate; }
.hint { font-size: 14px; color: var(--muted); }
label { display: block; font-weight: 600; margin-bottom: 6px; }
input[type=email], input[type=text] { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
input:focus-visible, .button:focus-visible, button:focus-visible { outline: 3px solid rgba(40,85,216,.35); outline-offset: 1px; }
.button, button { display: inline-block; padding: 10px 16px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
.button.secondary, button.secondary { background: #fff; color: var(--accent-text); }
.footer { margin: 24px 0; font-size: 13px; color: var(--muted); text-align: center; }
.languages ul { list-style: none; display: flex; flex-wrap: wrap; justify-content: center; gap: 4px 14px; padding: 0; margin: 10px 0 0; }
.languages a { color: var(--accent-text); }
.languages a[aria-current] { color: var(--ink); font-weight: 600; text-decoration: none; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: start; padding: 8px 6px; border-bottom: 1px solid var(--line); vertical-align: middle; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 999px; background: #e8eefc; color: var(--accent-text); margin-inline-start: 6px; }
.notice { background: #eefbf1; border: 1px solid #bfe8c9; padding: 8px 12px; border-radius: 8px; }
.actions { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 20px; }
.actions form, td form { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.stack { display: grid; gap: 10px; }
.choices { list-style: none; padding: 0; margin: 0 0 16px; display: grid; gap: 10px; }
button.wide { width: 100%; text-align: start; }
.notice.error { background: #fdf0f0; border-color: #f2c4c4; }
.card.wide { width: min(720px, calc(100vw - 32px)); }
input[type=password], textarea { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
textarea { font-family: ui-monospace, monospace; font-size: 13px; }
button:disabled { opacity: .5; cursor: not-allowed; }
`;
