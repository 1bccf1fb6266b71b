/** One dispatched server-sent event (HTML Living Standard §9.2.6, "dispatch the event"). */
export interface ServerSentEvent {
  /** The stream's last event ID as of this event (set by `id:` fields, kept across events). */
  lastEventId: string;
  /** The `event:` field, or `message`. */
  type: string;
  /** The `data:` fields joined by newlines. */
  data: string;
}

/** A line longer than this is not an event this client expects: the stream is refused. */
const MAX_BUFFERED_CHARS = 1 << 20;

/**
 * An incremental text/event-stream parser: push decoded text as it arrives, get events.
 * Lines end in CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the
 * next are one line end); `:` starts a comment; a field without `:` has an empty value;
 * one space after the colon is dropped; an empty line dispatches; an event with no data
 * is not dispatched; an `id` with NULL is ignored; `retry` and unknown fields are ignored.
 */
export function createSseParser(onEvent: (event: ServerSentEvent) => void) {
  let buffer = '';
  let skipLeadingLF = false;
  let atStreamStart = true;
  let lastEventId = '';
  let type = '';
  let data: string[] = [];

  function processLine(line: string) {
    if (line === '') {
      if (data.length) onEvent({ lastEventId, type: type || 'message', data: data.join('\n') });
      type = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
  }

  return {
    push(chunk: string): void {
      let text = chunk;
      if (atStreamStart && text.length) {
        if (text.startsWith('\uFEFF')) text = text.slice(1);
        atStreamStart = false;
      }
      if (skipLeadingLF && text.length) {
        if (text.startsWith('\n')) text = text.slice(1);
        skipLeadingLF = false;
      }
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        processLine(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) skipLeadingLF = true;
          else if (buffer.charCodeAt(i + 1) === 10) i += 1;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      if (buffer.length > MAX_BUFFERED_CHARS) throw new Error('Event stream line too long.');
    },
  };
}
