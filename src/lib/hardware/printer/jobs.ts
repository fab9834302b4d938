// What screens call to print: the till's printer when one is set up, the browser's print dialog otherwise.
// Paper speaks the kiosk's current language (paraglide); amounts and dates keep the store's locale.
import { getLocale } from '../../../paraglide/runtime.js';
import type { DayReport, PaymentDetail, RefundView } from '../../../shared/api';
import type { Receipt } from '../../checkout/receipt';
import { app } from '../../kiosk/app.svelte';
import { dayReportDocument } from './documents/day-report';
import { receiptDocument } from './documents/receipt';
import { refundSlipDocument } from './documents/refund-slip';
import { testPageDocument } from './documents/test-page';
import type { PrintDocument } from './layout';
import { storeLogo } from './logo';
import { receiptPrinter, type PrintOutcome } from './printer.svelte';

function send(doc: PrintDocument, dialog?: () => void): Promise<PrintOutcome> {
  const storeId = app.terminal?.store.id ?? 'store';
  return receiptPrinter.print(doc, { logo: () => storeLogo(storeId, receiptPrinter.settings.width) }).then((outcome) => {
    if (outcome === 'no-printer') dialog?.();
    return outcome;
  });
}

const storeLocale = () => app.terminal?.store.locale ?? 'en-US';

export function printReceipt(receipt: Receipt, dialog = () => window.print()): Promise<PrintOutcome> {
  return send(receiptDocument(receipt, { lang: getLocale(), origin: location.origin, logo: true }), dialog);
}

export function printRefundSlip(detail: PaymentDetail, refund: RefundView, dialog: () => void): Promise<PrintOutcome> {
  return send(refundSlipDocument(detail, refund, storeLocale(), getLocale()), dialog);
}

export function printDayReport(report: DayReport, dialog = () => window.print()): Promise<PrintOutcome> {
  return send(dayReportDocument(report, storeLocale(), getLocale()), dialog);
}

export function printTestPage(): Promise<PrintOutcome> {
  return send(testPageDocument(receiptPrinter.settings.width, getLocale(), location.origin, true));
}

const autoPrinted = new Set<string>();

/** After Paid, when the cashier chose auto-print: once per payment (the Paid screen can mount again). */
export function autoPrintReceipt(receipt: Receipt): void {
  if (!receiptPrinter.configured || !receiptPrinter.settings.autoPrint || autoPrinted.has(receipt.paymentId)) return;
  autoPrinted.add(receipt.paymentId);
  void printReceipt(receipt, () => {});
}
