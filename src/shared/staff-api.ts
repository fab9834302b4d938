// Types of the staff and terminal API (staff-schemas.ts). Type-only: importing these never puts TypeBox in
// the kiosk bundle.
import type { Static } from 'typebox';
import type * as S from './staff-schemas';

export type StaffRoleName = (typeof S.STAFF_ROLE_NAMES)[number];
/** GET /api/staff/session; POST /api/staff/sign-in {pin}; POST /api/staff/sign-out; POST /api/staff/activity. */
export type StaffSessionView = Static<typeof S.StaffSessionView>;
export type StaffGrantView = Static<typeof S.StaffGrantView>;
export type GrantRequest = Static<typeof S.GrantRequest>;
export type GrantScope = (typeof S.GRANT_SCOPE_NAMES)[number];
export type StaffMemberView = Static<typeof S.StaffMemberView>;
export type AddStaffRequest = Static<typeof S.AddStaffRequest>;
export type UpdateStaffRequest = Static<typeof S.UpdateStaffRequest>;
export type TerminalView = Static<typeof S.TerminalView>;
