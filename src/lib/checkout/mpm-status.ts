// What the cashier reads in mpm-status for each phase of a merchant-presented QR.
import type { Tone, StatusView } from './status';
import type { MpmPhase } from './attempt-types';

export type { Tone, StatusView };

export function mpmStatus(phase: MpmPhase): StatusView {
  switch (phase) {
    case 'creating':
      return { text: 'Making the QR code…', hint: 'Asking the provider for a QR for this amount.', tone: 'busy' };
    case 'reconnecting':
      return { text: 'Checking…', hint: 'Connection lost. Retrying the same request; only one QR can be made for it.', tone: 'busy' };
    case 'waiting':
      return {
        text: 'Making the QR code…',
        hint: 'The payment server is busy and asked us to wait a moment. The same request goes again by itself; nothing is lost.',
        tone: 'busy',
      };
    case 'showing':
      return {
        text: 'Ask the customer to scan and pay',
        hint: 'The customer scans the QR with their wallet app and confirms.',
        tone: 'wait',
      };
    case 'checking':
      return { text: 'Checking payment…', hint: 'No answer from the provider yet. Do not take another payment.', tone: 'busy' };
    case 'expired':
      return { text: 'QR code expired', hint: 'Nothing was paid with it. Make a new code or cancel.', tone: 'bad' };
    case 'renewing':
      return { text: 'Replacing the QR code…', hint: 'Closing the old QR at the provider before making a new one.', tone: 'busy' };
    case 'cancelling':
      return { text: 'Cancelling…', hint: 'Cancelling the QR with the provider.', tone: 'busy' };
    case 'cancelled':
      return { text: 'Cancelled', hint: 'No money was taken. Back to the sale…', tone: 'neutral' };
    case 'paid':
      return { text: 'Paid', hint: '', tone: 'ok' };
    case 'failed':
      return { text: 'Not paid', hint: 'No money was taken. Make a new code or cancel.', tone: 'bad' };
  }
}
