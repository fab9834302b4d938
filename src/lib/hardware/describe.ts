// The cashier's words for the till hardware's state (paraglide messages, shown in Settings, Paid, History).
import { m } from '../../paraglide/messages.js';
import type { PrinterLink, PrinterState } from './printer/printer.svelte';
import type { ScannerLink } from './scanner/scanners.svelte';

export function printerStateText(link: PrinterLink, state: PrinterState, printing: boolean): string {
  if (link === 'none') return m.hw_none();
  if (link === 'connecting') return m.hw_state_connecting();
  if (link === 'disconnected') return m.hw_state_disconnected();
  if (printing) return m.hw_state_printing();
  switch (state) {
    case 'ready':
      return m.hw_state_ready();
    case 'paper-low':
      return m.hw_state_paper_low();
    case 'no-paper':
      return m.hw_state_no_paper();
    case 'cover-open':
      return m.hw_state_cover_open();
    case 'offline':
      return m.hw_state_offline();
    case 'error':
      return m.hw_state_error();
    case 'unknown':
      return m.hw_state_no_status();
  }
}

/** A state the cashier has to act on (shown in red). */
export function printerNeedsAttention(link: PrinterLink, state: PrinterState): boolean {
  return link === 'disconnected' || state === 'no-paper' || state === 'cover-open' || state === 'offline' || state === 'error';
}

export function scannerStateText(link: ScannerLink): string {
  if (link === 'none') return m.hw_no_scanner();
  if (link === 'connecting') return m.hw_state_connecting();
  if (link === 'disconnected') return m.hw_scanner_disconnected();
  if (link === 'unsupported') return m.hw_scanner_unsupported();
  return m.hw_scanner_ready();
}

/** The device's own name, else its USB ids (a USB-serial adapter reports only those). */
export function deviceName(d: PosDeviceInfo | null): string {
  return d?.productName ?? d?.name ?? (d?.vendorId ? `USB ${d.vendorId.toString(16)}:${(d.productId ?? 0).toString(16)}` : '');
}
