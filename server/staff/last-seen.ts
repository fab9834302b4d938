// terminals.last_seen_at for the manager's terminal list: written on authenticated calls, at most once per
// `everyMs` per terminal. A memo in memory skips the database entirely for a tablet seen recently; the
// update's own condition keeps several proxies from each writing.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { markTerminalSeen } from '../store/terminal-admin.ts';

export class LastSeen {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly everyMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async seen(terminalId: string): Promise<void> {
    const now = this.now();
    const last = this.written.get(terminalId);
    if (last !== undefined && now - last < this.everyMs) return;
    this.written.set(terminalId, now);
    // Bounded: a map entry per tablet that called within the last minute or so.
    if (this.written.size > 10_000) this.written.clear();
    await markTerminalSeen(this.db, terminalId, new Date(now).toISOString(), new Date(now - this.everyMs).toISOString());
  }
}
