// Staff PIN settings (DESIGN §10): SUPERVISOR_PIN (refunds, voids, acknowledging a flagged payment) and
// CASHIER_PIN, 4–12 digits each. Demo mode defaults the supervisor PIN to 1234 and says so in the banner;
// outside demo mode there is no default — PIN-gated actions answer `no_staff_configured` until a PIN is set
// here or staff are added with `npx tsx server/cli/staff.ts add`.
import { ConfigError, int, str, type Env } from './env.ts';

export const DEMO_SUPERVISOR_PIN = '1234';

export interface StaffSettings {
  pins: { role: 'cashier' | 'supervisor'; pin: string }[];
  /** true when the supervisor PIN is the demo default (printed in the banner). */
  demoDefaultPin: boolean;
  /** Wrong PINs in a row before a terminal is locked out, and the first lockout's length (doubles after). */
  maxAttempts: number;
  lockoutMs: number;
}

function pin(env: Env, name: string): string | undefined {
  const v = str(env, name);
  if (v !== undefined && !/^\d{4,12}$/.test(v)) throw new ConfigError(`${name} must be 4 to 12 digits`);
  return v;
}

export function staffSettings(env: Env, demo: boolean): StaffSettings {
  const supervisor = pin(env, 'SUPERVISOR_PIN');
  const cashier = pin(env, 'CASHIER_PIN');
  if (supervisor !== undefined && supervisor === cashier) throw new ConfigError('CASHIER_PIN must differ from SUPERVISOR_PIN');
  const demoDefaultPin = demo && supervisor === undefined;
  const pins: StaffSettings['pins'] = [];
  if (supervisor ?? demoDefaultPin) pins.push({ role: 'supervisor', pin: supervisor ?? DEMO_SUPERVISOR_PIN });
  if (cashier) pins.push({ role: 'cashier', pin: cashier });
  return {
    pins,
    demoDefaultPin,
    maxAttempts: int(env, 'STAFF_PIN_MAX_ATTEMPTS', 5, 1, 100),
    lockoutMs: int(env, 'STAFF_PIN_LOCKOUT_MS', 60_000, 100, 3_600_000),
  };
}
