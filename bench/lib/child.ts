// Runs a bench server (proxy or simulator) in its own Node process, so it gets its own event loop and the
// load generator's work does not show up as server latency. The child reports readiness over IPC and
// exits when asked, when the parent goes away, or after a hard time limit — a bench never leaves servers behind.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child<T> {
  info: T;
  pid: number;
  /** CPU time the child has used so far, in ms (user + system). Unlike wall time, this barely moves when
   *  other tenants of a shared box steal the cores, so it is the steadier cost measure. */
  cpuMs(): Promise<number>;
  /** See runQueueMs(). */
  waitMs(): number;
  /** Asks the child a question over IPC (`{[kind]: id}` → `{[kind]: id, answer}`), e.g. proxy-child's
   *  `fetches` (provider requests it has sent). */
  ask<A>(kind: string): Promise<A>;
  /** Resolves when the child has exited, however it ended (a crash test waits here for its SIGKILL). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Starts `entry` (a .ts file under bench/lib) with tsx and waits for its `{ready: info}` message. */
export async function startChild<T>(entry: string, env: Record<string, string>, readyMs = 30_000): Promise<Child<T>> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child: ChildProcess = fork(file, [], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const info = await new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${entry} not ready after ${readyMs} ms`)), readyMs);
    child.on('message', (m: any) => {
      if (m && 'ready' in m) {
        clearTimeout(t);
        resolve(m.ready as T);
      }
      if (m && 'error' in m) {
        clearTimeout(t);
        reject(new Error(`${entry}: ${m.error}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });
  // If the parent dies without stopping us, the child's own watchdog (childGuard) ends it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  let asked = 0;
  return {
    info,
    pid: child.pid!,
    waitMs: () => runQueueMs(child.pid!),
    exited,
    ask<A>(kind: string) {
      const id = ++asked;
      return new Promise<A>((resolve, reject) => {
        const t = setTimeout(() => {
          child.off('message', on);
          reject(new Error(`no ${kind} answer`));
        }, 5_000);
        const on = (m: any) => {
          if (m?.[kind] !== id) return;
          clearTimeout(t);
          child.off('message', on);
          resolve(m.answer as A);
        };
        child.on('message', on);
        child.send({ [kind]: id });
      });
    },
    cpuMs() {
      const id = ++asked;
      return new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => {
          child.off('message', on);
          reject(new Error('no cpu answer'));
        }, 5_000);
        const on = (m: any) => {
          if (m?.cpu !== id) return;
          clearTimeout(t);
          child.off('message', on);
          resolve((m.usage.user + m.usage.system) / 1000);
        };
        child.on('message', on);
        child.send({ cpu: id });
      });
    },
    async stop() {
      // Already gone (exited, or killed by a signal: then exitCode stays null and the IPC channel is closed).
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) return;
      child.send({ stop: true });
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Time the process's main thread (where all its JavaScript runs) has spent runnable but waiting for a
 *  core, in ms (Linux /proc/<pid>/schedstat, field 2; NaN elsewhere). On a shared box this says how much of a
 *  slow run was the scheduler rather than our code. */
export function runQueueMs(pid: number | 'self'): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/)[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** In the child: stop on request, on parent loss, or after `maxMs` whatever happens. */
export function childGuard(close: () => Promise<void>, maxMs = 10 * 60_000): void {
  let closing = false;
  const end = (code: number) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(code || 1), 8_000);
    force.unref();
    void close().finally(() => process.exit(code));
  };
  process.on('message', (m: any) => {
    if (m?.stop) end(0);
    if (m?.cpu) process.send?.({ cpu: m.cpu, usage: process.cpuUsage() });
  });
  process.on('disconnect', () => end(0));
  const limit = setTimeout(() => {
    console.error('bench child: time limit reached, exiting');
    end(1);
  }, maxMs);
  limit.unref();
}

export function report(msg: unknown): void {
  process.send?.(msg);
}

/** For a child that cannot start: the parent gets the reason before the process goes. */
export function failAndExit(err: unknown): void {
  const msg = { error: err instanceof Error ? err.message : String(err) };
  if (!process.send) process.exit(1);
  process.send(msg, () => process.exit(1));
}
