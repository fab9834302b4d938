// Adding and changing staff: one set of rules for `npm run staff` and a manager on the kiosk. Two active staff
// may not share a PIN (the PIN is what says who acted), nor may a staff PIN equal one set in the environment.
// A role change or a disable signs the member out at every tablet: a session carries the role it began with.
import type { Kysely } from 'kysely';
import type { StaffSettings } from '../config/staff.ts';
import { ApiError } from '../payments/api-error.ts';
import type { Database } from '../store/schema.ts';
import { deleteStaffGrantsOf } from '../store/staff-grants.ts';
import { deleteStaffSessionsOf } from '../store/staff-sessions.ts';
import {
  disableStaff,
  insertStaff,
  listActiveStaff,
  setStaffPinHash,
  setStaffRole,
  type StaffRole,
  type StaffRow,
} from '../store/staff.ts';
import { hashPin, PIN_SHAPE, verifyPin } from './pin.ts';

export class StaffAdmin {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly envPins: StaffSettings['pins'],
  ) {}

  private async assertPinFree(pin: string, except?: string): Promise<void> {
    if (!PIN_SHAPE.test(pin)) throw new ApiError(400, 'invalid_pin_format', 'A PIN is 4 to 12 digits.');
    const others = (await listActiveStaff(this.db)).filter((s) => s.id !== except);
    const clashes = await Promise.all(others.map((s) => verifyPin(pin, s.pin_hash)));
    if (clashes.some(Boolean) || this.envPins.some((p) => p.pin === pin)) {
      throw new ApiError(409, 'pin_taken', 'Someone already has that PIN; choose another (the PIN is what identifies who acted).');
    }
  }

  private assertEditable(id: string): void {
    if (id.startsWith('env:')) {
      throw new ApiError(409, 'staff_from_environment', 'This PIN is set in the server environment; change it there.');
    }
  }

  async add(s: { name: string; role: StaffRole; pin: string }): Promise<StaffRow> {
    await this.assertPinFree(s.pin);
    return insertStaff(this.db, { name: s.name.trim(), role: s.role, pinHash: await hashPin(s.pin) });
  }

  async setRole(id: string, role: StaffRole): Promise<void> {
    this.assertEditable(id);
    if (!(await setStaffRole(this.db, id, role))) throw notFound(id);
    await deleteStaffSessionsOf(this.db, id);
    await deleteStaffGrantsOf(this.db, id);
  }

  async setPin(id: string, pin: string): Promise<void> {
    this.assertEditable(id);
    await this.assertPinFree(pin, id);
    if (!(await setStaffPinHash(this.db, id, await hashPin(pin)))) throw notFound(id);
  }

  async disable(id: string): Promise<void> {
    this.assertEditable(id);
    if (!(await disableStaff(this.db, id))) throw notFound(id);
    await deleteStaffSessionsOf(this.db, id);
    await deleteStaffGrantsOf(this.db, id);
  }
}

const notFound = (id: string) => new ApiError(404, 'staff_not_found', `No active staff member ${JSON.stringify(id.slice(0, 100))}.`);
