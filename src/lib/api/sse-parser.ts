// Incremental parser for the text/event-stream format (WHATWG HTML §9.2.6), fed chunk by chunk as bytes
// arrive from fetch. Kept pure so the framing rules can be unit-tested without a network.

export interface SseMessage {
  /** The `id` in effect for this message (the last one seen on the stream), '' if none. */
  id: string;
  event: string;
  data: string;
}

export interface SseParser {
  /** Feed decoded text; returns the messages completed by it. */
  push(chunk: string): SseMessage[];
  /** The last event id seen (for Last-Event-ID on reconnect). */
  readonly lastEventId: string;
  /** The server's requested reconnection delay, if it sent `retry:`. */
  readonly retryMs: number | null;
}

export function createSseParser(initialLastEventId = ''): SseParser {
  let buffer = '';
  let lastEventId = initialLastEventId;
  let retryMs: number | null = null;
  let eventType = '';
  let dataLines: string[] = [];
  let sawCr = false;

  function dispatch(out: SseMessage[]): void {
    if (dataLines.length === 0) {
      eventType = '';
      return;
    }
    out.push({ id: lastEventId, event: eventType || 'message', data: dataLines.join('\n') });
    eventType = '';
    dataLines = [];
  }

  function line(text: string, out: SseMessage[]): void {
    if (text === '') return dispatch(out);
    if (text.startsWith(':')) return; // comment / heartbeat
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event': eventType = value; break;
      case 'data': dataLines.push(value); break;
      case 'id': if (!value.includes('\0')) lastEventId = value; break;
      case 'retry': if (/^\d+$/.test(value)) retryMs = Number(value); break;
      default: break; // unknown fields are ignored by the spec
    }
  }

  return {
    push(chunk: string): SseMessage[] {
      const out: SseMessage[] = [];
      // A CRLF may be split across chunks: a lone CR at the end of the previous chunk already ended the line.
      if (sawCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
      sawCr = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i), out);
        if (c === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i++;
          } else {
            sawCr = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    get lastEventId() { return lastEventId; },
    get retryMs() { return retryMs; },
  };
}
