// What the cashier reads in pay-status for each phase of a payment attempt.
import { VENDOR_LABELS } from '../../shared/classify';
import type { Vendor } from '../../shared/payment';
import type { FlowPhase } from './attempt-types';

export type Tone = 'neutral' | 'busy' | 'wait' | 'ok' | 'bad';

export interface StatusView {
  text: string;
  hint: string;
  tone: Tone;
}

export function statusView(phase: FlowPhase, vendor: Vendor | null): StatusView {
  const wallet = vendor ? VENDOR_LABELS[vendor] : 'wallet';
  switch (phase) {
    case 'ready':
      return { text: "Scan the customer's payment code", hint: 'Hold the code to the camera or use the scanner.', tone: 'neutral' };
    case 'sending':
      return { text: `Charging ${wallet}…`, hint: 'Sending the code to the wallet.', tone: 'busy' };
    case 'reconnecting':
      return {
        text: 'Checking payment…',
        hint: 'Connection lost. Retrying the same request; the customer cannot be charged twice.',
        tone: 'busy',
      };
    case 'waiting':
      return {
        text: `Charging ${wallet}…`,
        hint: 'The payment server is busy and asked us to wait a moment. The same request goes again by itself; nothing is lost.',
        tone: 'busy',
      };
    case 'pending':
      return {
        text: 'Ask the customer to confirm in their wallet',
        hint: `Waiting for the customer to approve in ${wallet}.`,
        tone: 'wait',
      };
    case 'checking':
      return {
        text: 'Checking payment…',
        hint: `No answer from ${wallet} yet. Checking with the provider; do not take another payment.`,
        tone: 'busy',
      };
    case 'cancelling':
      return { text: 'Cancelling…', hint: 'Stopping the payment with the provider.', tone: 'busy' };
    case 'paid':
      return { text: 'Paid', hint: '', tone: 'ok' };
    case 'declined':
      return { text: 'Not paid', hint: 'No money was taken.', tone: 'bad' };
    case 'cancelled':
      return { text: 'Cancelled', hint: 'No money was taken. Back to the sale…', tone: 'neutral' };
  }
}
