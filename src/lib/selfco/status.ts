// What a customer reads for each phase of their payment (the cashier's wording is lib/checkout/status.ts and
// mpm-status.ts). Messages only: no provider detail a customer cannot act on.
import { m } from '../../paraglide/messages.js';
import type { FlowPhase, MpmPhase } from '../checkout/attempt-types';
import type { Tone } from '../checkout/status';

export interface CustomerStatus {
  text: string;
  hint: string;
  tone: Tone;
}

export function customerPayStatus(phase: FlowPhase, wallets: string): CustomerStatus {
  switch (phase) {
    case 'ready':
      return { text: m.self_show_code_title(), hint: m.self_show_code_hint({ wallets }), tone: 'neutral' };
    case 'sending':
    case 'waiting':
      return { text: m.self_status_sending(), hint: '', tone: 'busy' };
    case 'pending':
      return { text: m.self_status_confirm(), hint: '', tone: 'wait' };
    case 'checking':
    case 'reconnecting':
      return { text: m.self_status_checking(), hint: '', tone: 'busy' };
    case 'cancelling':
      return { text: m.self_status_cancelling(), hint: '', tone: 'busy' };
    case 'cancelled':
      return { text: m.self_status_cancelled(), hint: '', tone: 'neutral' };
    case 'declined':
      return { text: m.self_status_declined(), hint: m.self_try_again_hint(), tone: 'bad' };
    case 'paid':
      return { text: m.self_paid_title(), hint: '', tone: 'ok' };
  }
}

export function customerQrStatus(phase: MpmPhase): CustomerStatus {
  switch (phase) {
    case 'showing':
      return { text: m.self_scan_qr_title(), hint: '', tone: 'wait' };
    case 'creating':
    case 'waiting':
    case 'renewing':
      return { text: m.self_qr_making(), hint: '', tone: 'busy' };
    case 'checking':
    case 'reconnecting':
      return { text: m.self_status_checking(), hint: '', tone: 'busy' };
    case 'expired':
      return { text: m.self_qr_expired(), hint: '', tone: 'bad' };
    case 'cancelling':
      return { text: m.self_status_cancelling(), hint: '', tone: 'busy' };
    case 'cancelled':
      return { text: m.self_status_cancelled(), hint: '', tone: 'neutral' };
    case 'failed':
      return { text: m.self_status_declined(), hint: '', tone: 'bad' };
    case 'paid':
      return { text: m.self_paid_title(), hint: '', tone: 'ok' };
  }
}
