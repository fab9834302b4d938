// Reads GET /api/events the way the kiosk does (fetch + Authorization header; EventSource cannot send one)
// and parses the SSE frames.
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  /** Date.now() when the frame was read off the stream. */
  receivedAt?: number;
}

export class SseReader {
  readonly frames: SseFrame[] = [];
  status = 0;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private done: Promise<void> = Promise.resolve();

  async open(url: string, token: string, lastEventId?: string): Promise<void> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await fetch(url, { headers, signal: this.controller.signal });
    this.status = res.status;
    if (!res.ok || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    this.done = (async () => {
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            this.frames.push({ ...parseFrame(block), receivedAt: Date.now() });
            this.waiters.splice(0).forEach((w) => w());
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  /** Payment updates received so far, parsed. */
  updates(): { id: number; payment: any }[] {
    return this.frames
      .filter((f) => f.event === 'payment.updated')
      .map((f) => ({ id: Number(f.id), payment: JSON.parse(f.data ?? 'null') }));
  }

  async waitFor(pred: (frames: SseFrame[]) => boolean, ms = 8000): Promise<void> {
    const until = Date.now() + ms;
    while (!pred(this.frames)) {
      const left = until - Date.now();
      if (left <= 0) throw new Error(`SSE condition not met; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

function parseFrame(block: string): SseFrame {
  const f: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) f.comment = line.slice(1).trim();
    else {
      const i = line.indexOf(':');
      const key = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (key === 'id' || key === 'event') f[key] = value;
      else if (key === 'data') f.data = f.data === undefined ? value : `${f.data}\n${value}`;
    }
  }
  return f;
}
