// What screens call to print: the till's printer when one is set up, the browser's print dialog otherwise.
// Paper speaks the kiosk's current language (paraglide); amounts and dates keep the store's locale.
import { getLocale } from '../../../paraglide/runtime.js';
import type { DayReport, PaymentDetail, RefundView } from '../../../shared/api';
import type { Receipt } from '../../checkout/receipt';
import type { PrintDocument } from './layout';
import { storeLogo } from './logo';
import { receiptPrinter, type PrintOutcome } from './printer.svelte';

type Documents = typeof import('./documents/index');
/** The store printing: its logo and the locale of its amounts and dates (callers pass app.terminal.store). */
export interface PrintingStore {
  id: string;
  locale: string;
}

/** No printer: the dialog at once (still inside the click, as browsers want); else the document, built lazily. */
async function send(store: PrintingStore, build: (docs: Documents) => PrintDocument, dialog?: () => void): Promise<PrintOutcome> {
  if (!receiptPrinter.configured) {
    dialog?.();
    return 'no-printer';
  }
  const doc = build(await import('./documents/index'));
  return receiptPrinter.print(doc, { logo: () => storeLogo(store.id, receiptPrinter.settings.width) });
}

export function printReceipt(store: PrintingStore, receipt: Receipt, dialog = () => window.print()): Promise<PrintOutcome> {
  return send(store, (d) => d.receiptDocument(receipt, { lang: getLocale(), origin: location.origin, logo: true }), dialog);
}

export function printRefundSlip(
  store: PrintingStore,
  detail: PaymentDetail,
  refund: RefundView,
  dialog: () => void,
): Promise<PrintOutcome> {
  return send(store, (d) => d.refundSlipDocument(detail, refund, store.locale, getLocale()), dialog);
}

export function printDayReport(store: PrintingStore, report: DayReport, dialog = () => window.print()): Promise<PrintOutcome> {
  return send(store, (d) => d.dayReportDocument(report, store.locale, getLocale()), dialog);
}

export function printTestPage(store: PrintingStore): Promise<PrintOutcome> {
  return send(store, (d) => d.testPageDocument(receiptPrinter.settings.width, getLocale(), location.origin, true));
}

const autoPrinted = new Set<string>();

/** After Paid, when the cashier chose auto-print: once per payment (the Paid screen can mount again). */
export function autoPrintReceipt(store: PrintingStore, receipt: Receipt): void {
  if (!receiptPrinter.configured || !receiptPrinter.settings.autoPrint || autoPrinted.has(receipt.paymentId)) return;
  autoPrinted.add(receipt.paymentId);
  void printReceipt(store, receipt, () => {});
}
