import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSseParser, type ServerSentEvent } from '../src/sse-parser.js';

/** Feeds the chunks in order and returns what was dispatched. */
function parse(...chunks: string[]): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('SSE parser', () => {
  it('when an event has id, event and data fields, then it is dispatched with them', () => {
    assert.deepEqual(parse('id: 7\nevent: set\ndata: abc\n\n'), [
      { lastEventId: '7', type: 'set', data: 'abc' },
    ]);
  });

  it('when data spans several lines, then they are joined by newlines', () => {
    assert.deepEqual(parse('data: one\ndata:two\ndata:  three\n\n')[0]?.data, 'one\ntwo\n three');
  });

  it('when lines end in CRLF or CR, then they parse as with LF', () => {
    assert.deepEqual(parse('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r'), [
      { lastEventId: '', type: 'a', data: '1' },
      { lastEventId: '', type: 'b', data: '2' },
    ]);
  });

  it('when a CRLF is split across two chunks, then it is one line end', () => {
    const events = parse('data: x\r', '\n', 'data: y\r', '\n\r\n');
    assert.deepEqual(events, [{ lastEventId: '', type: 'message', data: 'x\ny' }]);
  });

  it('when a field is split across chunks, then it is put back together', () => {
    const events = parse('ev', 'ent: heart', 'beat\nda', 'ta: {"position":', '3}\n', '\n');
    assert.deepEqual(events, [{ lastEventId: '', type: 'heartbeat', data: '{"position":3}' }]);
  });

  it('when lines are comments, then they are skipped and dispatch nothing', () => {
    assert.deepEqual(parse(': keep-alive\n\n:another\ndata: d\n\n'), [
      { lastEventId: '', type: 'message', data: 'd' },
    ]);
  });

  it('when an event has no data, then it is not dispatched but its id is kept', () => {
    assert.deepEqual(parse('id: 4\nevent: set\n\nevent: x\ndata: y\n\n'), [
      { lastEventId: '4', type: 'x', data: 'y' },
    ]);
  });

  it('when the stream ends without a blank line, then the last event is not dispatched', () => {
    assert.deepEqual(parse('data: never\n'), []);
  });

  it('when an id holds NULL, then it is ignored; retry and unknown fields too', () => {
    assert.deepEqual(parse('id: 1\n\nid: 2\0\nretry: 10\nfoo: bar\ndata\n\n'), [
      { lastEventId: '1', type: 'message', data: '' },
    ]);
  });

  it('when the stream starts with a BOM, then it is dropped', () => {
    assert.deepEqual(parse('\uFEFFdata: a\n\n')[0]?.data, 'a');
  });
});
