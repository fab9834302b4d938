// The first screen carries none of the till-hardware code: only this check of what the tablet has set up
// (localStorage). Screens load the printer and scanner modules when a device is set up or a job is printed.
import { app } from '../kiosk/app.svelte';
import type { PrintingStore } from './printer/jobs';
import { loadHardwareSettings } from './settings';

type Jobs = typeof import('./printer/jobs');

export function printerSetUp(): boolean {
  return loadHardwareSettings().printer.connection !== null;
}

export function scannerSetUp(): boolean {
  return loadHardwareSettings().scanner.connection !== null;
}

/** The till's printer when one is set up, else the browser's print dialog (at once, inside the click). */
export async function printOrDialog(dialog: () => void, job: (jobs: Jobs, store: PrintingStore) => Promise<unknown>): Promise<void> {
  if (!printerSetUp()) {
    dialog();
    return;
  }
  const s = app.terminal?.store;
  await job(await import('./printer/jobs'), { id: s?.id ?? 'store', locale: s?.locale ?? 'en-US' });
}

/** At kiosk start: reconnect what was set up; nothing is loaded when nothing was. */
export function startHardwareIfSetUp(): void {
  if (printerSetUp() || scannerSetUp()) void import('./start').then((m) => m.startHardware());
}

/** Till-scanner reads for a screen while it is mounted; returns the unsubscribe. */
export function onTillScan(fn: Parameters<typeof import('./scanner/scanners.svelte').barcodeScanners.subscribe>[0]): () => void {
  if (!scannerSetUp()) return () => {};
  let stop: (() => void) | null = null;
  let stopped = false;
  void import('./scanner/scanners.svelte').then(({ barcodeScanners }) => {
    if (!stopped) stop = barcodeScanners.subscribe(fn);
  });
  return () => {
    stopped = true;
    stop?.();
  };
}
