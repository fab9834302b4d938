// Who a PIN belongs to. Two sources: PINs from the environment (SUPERVISOR_PIN, CASHIER_PIN, MANAGER_PIN; DEMO
// defaults them, config/staff.ts), hashed in memory on first use and never stored, and the `staff` table (added with
// server/cli/staff.ts). Every candidate is checked on every attempt, so the time taken does not say which
// one matched or how many there are.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { listActiveStaff, STAFF_ROLES, type StaffRole } from '../store/staff.ts';
import { hashPin, PIN_SHAPE, verifyPin } from './pin.ts';

export interface StaffMember {
  id: string;
  name: string;
  role: StaffRole;
}

export interface EnvPin {
  role: StaffRole;
  pin: string;
}

/** Whether `role` may do what `required` may (cashier < supervisor < manager). */
export function roleAtLeast(role: StaffRole, required: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(required);
}

const ENV_NAMES: Record<StaffRole, string> = {
  cashier: 'Cashier (CASHIER_PIN)',
  supervisor: 'Supervisor (SUPERVISOR_PIN)',
  manager: 'Manager (MANAGER_PIN)',
};

function envMember(e: EnvPin): StaffMember {
  return { id: `env:${e.role}`, name: ENV_NAMES[e.role], role: e.role };
}

export class StaffDirectory {
  private envHashes: Promise<{ member: StaffMember; hash: string }[]> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly envPins: EnvPin[],
  ) {}

  /** Everyone whose PIN is currently accepted (no hashing: this is cheap). */
  async members(): Promise<StaffMember[]> {
    return [
      ...this.envPins.map(envMember),
      ...(await listActiveStaff(this.db)).map((s) => ({ id: s.id, name: s.name, role: s.role as StaffRole })),
    ];
  }

  private hashedEnv() {
    this.envHashes ??= Promise.all(this.envPins.map(async (e) => ({ member: envMember(e), hash: await hashPin(e.pin) })));
    return this.envHashes;
  }

  async identify(pin: string): Promise<StaffMember | null> {
    if (!PIN_SHAPE.test(pin)) return null;
    const candidates = [
      ...(await this.hashedEnv()),
      ...(await listActiveStaff(this.db)).map((s) => ({ member: { id: s.id, name: s.name, role: s.role as StaffRole }, hash: s.pin_hash })),
    ];
    const matches = await Promise.all(candidates.map((c) => verifyPin(pin, c.hash)));
    // The highest role wins when two entries share a PIN (the CLI refuses that, the env cannot know).
    const hits = candidates.filter((_, i) => matches[i]).map((c) => c.member);
    return hits.reduce<StaffMember | null>((best, m) => (!best || !roleAtLeast(best.role, m.role) ? m : best), null);
  }
}
