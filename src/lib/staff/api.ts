// Staff sign-in, staff management and terminal management calls (README "Staff and terminals"), over the one
// kiosk client. `pin`: a manager's PIN for this one request (X-Staff-Pin) when no manager is signed in.
import type {
  AddStaffRequest,
  GrantScope,
  StaffGrantView,
  StaffMemberView,
  StaffSessionView,
  TerminalView,
  UpdateStaffRequest,
} from '../../shared/staff-api';
import { api } from '../api/client';

const id = (s: string) => encodeURIComponent(s);

export const staffApi = {
  session: () => api.send<StaffSessionView>('GET', '/api/staff/session'),
  signIn: (pin: string) => api.send<StaffSessionView>('POST', '/api/staff/sign-in', { pin }),
  signOut: () => api.send<StaffSessionView>('POST', '/api/staff/sign-out', {}),
  activity: () => api.send<StaffSessionView>('POST', '/api/staff/activity', {}),
  /** A supervisor's PIN, checked once, for a 2-minute grant of `scope` (X-Staff-Grant; lib/staff/screen-grant). */
  grant: (pin: string, scope: GrantScope) => api.send<StaffGrantView>('POST', '/api/staff/grants', { pin, scope }),

  members: (pin?: string) => api.send<{ staff: StaffMemberView[] }>('GET', '/api/staff/members', undefined, { pin }),
  addMember: (body: AddStaffRequest, pin?: string) => api.send<StaffMemberView>('POST', '/api/staff/members', body, { pin }),
  updateMember: (staffId: string, body: UpdateStaffRequest, pin?: string) =>
    api.send<StaffMemberView>('PATCH', `/api/staff/members/${id(staffId)}`, body, { pin }),
  disableMember: (staffId: string, pin?: string) =>
    api.send<StaffMemberView>('DELETE', `/api/staff/members/${id(staffId)}`, undefined, { pin }),

  terminals: (pin?: string) => api.send<{ terminals: TerminalView[] }>('GET', '/api/terminals', undefined, { pin }),
  renameTerminal: (terminalId: string, name: string, pin?: string) =>
    api.send<TerminalView>('PATCH', `/api/terminals/${id(terminalId)}`, { name }, { pin }),
  revokeTerminal: (terminalId: string, pin?: string) =>
    api.send<TerminalView>('POST', `/api/terminals/${id(terminalId)}/revoke`, {}, { pin }),
};
