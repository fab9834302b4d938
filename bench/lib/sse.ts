// Reads GET /api/events the way the kiosk does (fetch + Authorization header) and stamps each
// payment.updated frame with performance.now() at the moment its bytes were parsed, so a bench can say
// when the kiosk learned of a change.
import { performance } from 'node:perf_hooks';
import type { PaymentView } from '../../src/shared/api.ts';

/** `id`: the frame's SSE id (the payment_events row it was sent under). */
export type UpdateListener = (payment: PaymentView, at: number, id: number) => void;

export class TimedSse {
  private readonly controller = new AbortController();
  private readonly listeners = new Set<UpdateListener>();
  private done: Promise<void> = Promise.resolve();

  async open(baseUrl: string, token: string): Promise<void> {
    const res = await fetch(`${baseUrl}/api/events`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: this.controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`SSE open failed: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    this.done = (async () => {
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const at = performance.now();
          buf += value;
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            const update = parseUpdate(block);
            if (update) for (const l of this.listeners) l(update.payment, at, update.id);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  onUpdate(l: UpdateListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

function parseUpdate(block: string): { payment: PaymentView; id: number } | null {
  let event = '';
  let data = '';
  let id = NaN;
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
    else if (line.startsWith('id:')) id = Number(line.slice(3).trim());
  }
  return event === 'payment.updated' && data ? { payment: JSON.parse(data) as PaymentView, id } : null;
}
