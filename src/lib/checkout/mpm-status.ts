// What the cashier reads in mpm-status for each phase of a merchant-presented QR.
import type { Tone, StatusView } from './status';
import type { MpmPhase } from './attempt-types';
import { m } from '../../paraglide/messages.js';

export type { Tone, StatusView };

export function mpmStatus(phase: MpmPhase): StatusView {
  switch (phase) {
    case 'creating':
      return { text: m.mpm_making(), hint: m.mpm_making_hint(), tone: 'busy' };
    case 'reconnecting':
      return { text: m.mpm_checking(), hint: m.mpm_reconnecting_hint(), tone: 'busy' };
    case 'waiting':
      return {
        text: m.mpm_making(),
        hint: m.status_waiting_hint(),
        tone: 'busy',
      };
    case 'showing':
      return {
        text: m.mpm_showing(),
        hint: m.mpm_showing_hint(),
        tone: 'wait',
      };
    case 'checking':
      return { text: m.status_checking(), hint: m.mpm_checking_hint(), tone: 'busy' };
    case 'expired':
      return { text: m.mpm_expired(), hint: m.mpm_expired_hint(), tone: 'bad' };
    case 'renewing':
      return { text: m.mpm_renewing(), hint: m.mpm_renewing_hint(), tone: 'busy' };
    case 'cancelling':
      return { text: m.status_cancelling(), hint: m.mpm_cancelling_hint(), tone: 'busy' };
    case 'cancelled':
      return { text: m.status_cancelled(), hint: m.status_cancelled_hint(), tone: 'neutral' };
    case 'paid':
      return { text: m.status_paid(), hint: '', tone: 'ok' };
    case 'failed':
      return { text: m.status_not_paid(), hint: m.mpm_failed_hint(), tone: 'bad' };
  }
}
