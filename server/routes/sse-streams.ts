// Open SSE streams (GET /api/events), capped per terminal and in total (issue 9). A kiosk that reloads leaves
// its old stream behind until a write to it fails, which behind some NATs takes minutes; refusing the new one
// would leave the reloaded kiosk without pushes. So the oldest stream of the terminal is closed, with a last
// frame saying why, and the newest — the one a person is looking at — always gets through. The total cap
// refuses new streams instead (the kiosk polls meanwhile and reconnects with backoff).

export interface SseStream {
  readonly terminalId: string;
  /** Ends the response (the server is closing). */
  end(): void;
  /** Ends the response with a last frame: a newer stream of the same terminal took its place. */
  displace(): void;
}

/** The last frame of a displaced stream. `retry` slows the reconnect of a tab that is still open (it would
 *  displace another in turn); a stream's first frame sets it back to 2 s. */
export const DISPLACED_FRAME =
  'retry: 15000\nevent: stream.closed\ndata: {"reason":"replaced","message":"A newer event stream of this tablet replaced this one."}\n\n';

export class SseStreams implements Iterable<SseStream> {
  private readonly byTerminal = new Map<string, SseStream[]>();
  private readonly all = new Set<SseStream>();

  constructor(private readonly limits: { perTerminal: number; total: number }) {}

  get size(): number {
    return this.all.size;
  }

  /** Whether a new stream of this terminal may open: under the total cap, or taking one of its own places. */
  hasRoomFor(terminalId: string): boolean {
    return this.all.size < this.limits.total || (this.byTerminal.get(terminalId)?.length ?? 0) >= this.limits.perTerminal;
  }

  /** Adds a stream; past the terminal's cap its oldest streams are displaced. */
  add(stream: SseStream): void {
    const own = this.byTerminal.get(stream.terminalId) ?? [];
    own.push(stream);
    this.byTerminal.set(stream.terminalId, own);
    this.all.add(stream);
    while (own.length > this.limits.perTerminal) {
      const oldest = own.shift()!;
      this.all.delete(oldest);
      oldest.displace();
    }
  }

  delete(stream: SseStream): void {
    if (!this.all.delete(stream)) return;
    const own = this.byTerminal.get(stream.terminalId);
    if (!own) return;
    const i = own.indexOf(stream);
    if (i >= 0) own.splice(i, 1);
    if (own.length === 0) this.byTerminal.delete(stream.terminalId);
  }

  clear(): void {
    this.all.clear();
    this.byTerminal.clear();
  }

  [Symbol.iterator](): Iterator<SseStream> {
    // A copy: ending a stream removes it from the set while the caller iterates.
    return [...this.all][Symbol.iterator]();
  }
}
