// What the cashier reads in pay-status for each phase of a payment attempt.
import { VENDOR_LABELS } from '../../shared/classify';
import type { Vendor } from '../../shared/payment';
import type { FlowPhase } from './attempt-types';
import { m } from '../../paraglide/messages.js';

export type Tone = 'neutral' | 'busy' | 'wait' | 'ok' | 'bad';

export interface StatusView {
  text: string;
  hint: string;
  tone: Tone;
}

export function statusView(phase: FlowPhase, vendor: Vendor | null): StatusView {
  const wallet = vendor ? VENDOR_LABELS[vendor] : m.status_wallet();
  switch (phase) {
    case 'ready':
      return { text: m.status_ready(), hint: m.status_ready_hint(), tone: 'neutral' };
    case 'sending':
      return { text: m.status_charging({ wallet }), hint: m.status_sending_hint(), tone: 'busy' };
    case 'reconnecting':
      return {
        text: m.status_checking(),
        hint: m.status_reconnecting_hint(),
        tone: 'busy',
      };
    case 'waiting':
      return {
        text: m.status_charging({ wallet }),
        hint: m.status_waiting_hint(),
        tone: 'busy',
      };
    case 'pending':
      return {
        text: m.status_pending(),
        hint: m.status_pending_hint({ wallet }),
        tone: 'wait',
      };
    case 'checking':
      return {
        text: m.status_checking(),
        hint: m.status_checking_hint({ wallet }),
        tone: 'busy',
      };
    case 'cancelling':
      return { text: m.status_cancelling(), hint: m.status_cancelling_hint(), tone: 'busy' };
    case 'paid':
      return { text: m.status_paid(), hint: '', tone: 'ok' };
    case 'declined':
      return { text: m.status_not_paid(), hint: m.status_no_money(), tone: 'bad' };
    case 'cancelled':
      return { text: m.status_cancelled(), hint: m.status_cancelled_hint(), tone: 'neutral' };
  }
}
