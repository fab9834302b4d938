// Self-checkout calls (README "Self-checkout"), over the one kiosk client. `pin`: a supervisor's PIN for this one
// request (X-Staff-Pin); the proxy counts wrong ones like every PIN.
import type { SelfCheckoutInfo, StaffCallView } from '../../shared/self-checkout-api';
import { api } from '../api/client';

export const selfCheckoutApi = {
  setMode: (on: boolean, pin: string) => api.send<SelfCheckoutInfo>('PUT', '/api/terminal/self-checkout', { on }, { pin }),
  callStaff: () => api.send<StaffCallView>('POST', '/api/staff-calls', {}),
  answer: (id: string) => api.send<StaffCallView>('POST', `/api/staff-calls/${encodeURIComponent(id)}/answer`, {}),
};
