// Storage trouble, in words a cashier can act on (issue 5 §7). Queued orders live only on this tablet until
import { m } from '../../paraglide/messages.js';
// they are uploaded, so anything that stops us saving them (or lets the browser delete them) must be shown,
// never swallowed.

export type StorageProblem = 'unavailable' | 'quota' | 'not-persistent' | 'failed';

export interface StorageHealth {
  /** 'error': orders cannot be saved now; 'warning': saved, but the browser may evict them under pressure. */
  level: 'ok' | 'warning' | 'error';
  problem: StorageProblem | null;
  message: string | null;
  /** navigator.storage.persist() result; null until asked or when the browser has no such API. */
  persisted: boolean | null;
}

export const MESSAGES: Record<StorageProblem, () => string> = {
  unavailable: m.storage_unavailable,
  quota: m.storage_quota,
  'not-persistent': m.storage_not_persistent,
  failed: m.storage_failed,
};

/** Why an IndexedDB operation failed, from the DOMException name browsers use. */
export function classifyStorageError(err: unknown): StorageProblem {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') return 'quota';
  // Firefox private mode (older versions) and disabled storage throw these on open.
  if (name === 'InvalidStateError' || name === 'SecurityError' || (name === 'UnknownError' && isOpenError(err))) return 'unavailable';
  return 'failed';
}

function isOpenError(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /open|backing store|database/i.test(message);
}

/** A storage failure with a human message; the original error is kept as the cause. */
export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    cause?: unknown,
  ) {
    super(MESSAGES[problem](), { cause });
    this.name = 'StorageError';
  }
}

type Listener = (h: StorageHealth) => void;

/** A tiny observable so the plain-TS storage layer can report to the runes state (status.svelte.ts). */
export class HealthReporter {
  #state: StorageHealth = { level: 'ok', problem: null, message: null, persisted: null };
  #listeners = new Set<Listener>();

  get current(): StorageHealth {
    return this.#state;
  }

  subscribe(fn: Listener): () => void {
    this.#listeners.add(fn);
    fn(this.#state);
    return () => this.#listeners.delete(fn);
  }

  /** An operation failed: errors outrank warnings until a later success clears them. */
  fail(problem: StorageProblem): void {
    this.#set({ ...this.#state, level: 'error', problem, message: MESSAGES[problem]() });
  }

  /** An operation succeeded: clear a transient error, keep the persistence warning. */
  ok(): void {
    if (this.#state.level === 'error') this.#set(this.#fromPersisted(this.#state.persisted));
  }

  persisted(value: boolean | null): void {
    this.#set(this.#state.level === 'error' ? { ...this.#state, persisted: value } : this.#fromPersisted(value));
  }

  #fromPersisted(persisted: boolean | null): StorageHealth {
    return persisted === false
      ? { level: 'warning', problem: 'not-persistent', message: MESSAGES['not-persistent'](), persisted }
      : { level: 'ok', problem: null, message: null, persisted };
  }

  #set(next: StorageHealth): void {
    const prev = this.#state;
    if (prev.level === next.level && prev.problem === next.problem && prev.persisted === next.persisted) return;
    this.#state = next;
    for (const fn of this.#listeners) fn(next);
  }
}

export const storageHealthReporter = new HealthReporter();
