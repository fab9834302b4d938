// Staff PIN settings (DESIGN §10): SUPERVISOR_PIN (refunds, voids, acknowledging a flagged payment) and
// CASHIER_PIN, 4–12 digits each. Demo mode defaults the supervisor PIN to 1234 and says so in the banner;
// outside demo mode there is no default — PIN-gated actions answer `no_staff_configured` until a PIN is set
// here or staff are added with `npx tsx server/cli/staff.ts add`.
import { ConfigError, int, str, type Env } from './env.ts';

export const DEMO_SUPERVISOR_PIN = '1234';

/** One scope's wrong-PIN limit (enforced by server/staff/throttle.ts). */
export interface PinLimit {
  /** Failures that lock the scope (the attempt that reaches it engages the lock). */
  maxFailures: number;
  /** Failures older than this are forgotten; null: they count until a supervisor's PIN resets them. */
  windowMs: number | null;
  /** The first lockout; each further one doubles, up to maxLockoutMs. */
  lockoutMs: number;
  maxLockoutMs: number;
}

export interface PinLimits {
  /** One tablet. */
  terminal: PinLimit;
  /** Every tablet of one store together. */
  store: PinLimit;
  /** Each staff member's PIN, wherever it is guessed (every wrong guess is a wrong guess at each PIN that
   *  would have authorised the action). */
  staff: PinLimit;
}

export interface StaffSettings {
  pins: { role: 'cashier' | 'supervisor'; pin: string }[];
  /** true when the supervisor PIN is the demo default (printed in the banner). */
  demoDefaultPin: boolean;
  limits: PinLimits;
  /** How long a PIN check in flight holds its attempt (staff/throttle.ts) before it lapses uncounted. */
  checkLapseMs: number;
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
    limits: pinLimits(env),
    // A scrypt check takes tens of milliseconds; 30 s is the request timeout, so a check still running then
    // has been abandoned (its proxy died or hung) and must free its slot without counting as a wrong PIN.
    checkLapseMs: int(env, 'STAFF_PIN_CHECK_LAPSE_MS', 30_000, 500, 10 * 60_000),
  };
}

// Why these defaults. A PIN is 4–12 digits, so only the guess rate protects it.
// - Tablet: 5 wrong PINs in a row (a hurried supervisor mistypes, rarely five times), then 60 s, doubling per
//   further lockout up to 1 h, until a supervisor's PIN clears it. One tablet alone gets ~5 guesses an hour
//   once the lockouts have grown.
// - Store: 10 wrong PINs within 15 min on any of its tablets pause PIN actions in the whole store for 15 min,
//   so pairing more tablets buys no more guesses: at most ~10 per 30 min, 480 a day — a 4-digit PIN lasts
//   ~10 days on average, a 6-digit one ~3 years, each lockout in the audit log long before. The price: a
//   paired tablet can pause refunds and voids (never sales) in its store; the audit log names the tablet,
//   which can be unpaired.
// - Staff: 50 wrong guesses at the PINs that could authorise an action within 1 h, counted across every store
//   on the database, pause those actions everywhere for 1 h. This caps a chain-wide attack from many stores
//   (≤ ~600 guesses a day at one PIN) and sits above what one store can reach on its own (~30 within an
//   hour), so typos or an attack in one store never pause the others.
function pinLimits(env: Env): PinLimits {
  const hour = 3_600_000;
  const storeLockoutMs = int(env, 'STAFF_PIN_STORE_LOCKOUT_MS', 900_000, 100, 24 * hour);
  const staffLockoutMs = int(env, 'STAFF_PIN_MEMBER_LOCKOUT_MS', hour, 100, 24 * hour);
  return {
    terminal: {
      maxFailures: int(env, 'STAFF_PIN_MAX_ATTEMPTS', 5, 1, 100),
      windowMs: null,
      lockoutMs: int(env, 'STAFF_PIN_LOCKOUT_MS', 60_000, 100, hour),
      maxLockoutMs: hour,
    },
    // Windowed scopes do not escalate: the window already bounds the rate, and a longer store-wide pause
    // would mostly hurt the store.
    store: {
      maxFailures: int(env, 'STAFF_PIN_STORE_MAX_FAILURES', 10, 1, 1000),
      windowMs: int(env, 'STAFF_PIN_STORE_WINDOW_MS', 900_000, 1000, 24 * hour),
      lockoutMs: storeLockoutMs,
      maxLockoutMs: storeLockoutMs,
    },
    staff: {
      maxFailures: int(env, 'STAFF_PIN_MEMBER_MAX_FAILURES', 50, 1, 10_000),
      windowMs: int(env, 'STAFF_PIN_MEMBER_WINDOW_MS', hour, 1000, 7 * 24 * hour),
      lockoutMs: staffLockoutMs,
      maxLockoutMs: staffLockoutMs,
    },
  };
}
