// Staff PIN settings (DESIGN §10): SUPERVISOR_PIN (refunds, voids, acknowledging a flagged payment),
// CASHIER_PIN and MANAGER_PIN, 4–12 digits each. Demo mode defaults the supervisor's to 1234 and, under
// `npm start` (demoStaffEnv), the cashier's to 1111 and the manager's to 9999, and says so in the banner;
// outside demo mode there is no default — PIN-gated actions answer `no_staff_configured` until a PIN is set
// here or staff are added with `npm run staff -- add`.
// Staff sessions (server/staff/sessions.ts): STAFF_IDLE_MS signs a tablet's staff out after that long without
// an action; STAFF_SIGN_IN=required refuses sales from a tablet where nobody is signed in.
import { ConfigError, int, str, type Env } from './env.ts';

export const DEMO_SUPERVISOR_PIN = '1234';
export const DEMO_CASHIER_PIN = '1111';
export const DEMO_MANAGER_PIN = '9999';

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
  pins: { role: 'cashier' | 'supervisor' | 'manager'; pin: string }[];
  /** true when the supervisor PIN is the demo default (printed in the banner). */
  demoDefaultPin: boolean;
  limits: PinLimits;
  /** A signed-in staff member is signed out after this long without an action. */
  idleMs: number;
  /** 'required': sales and cancels need a signed-in staff member; 'optional': they are recorded when one is. */
  signIn: 'required' | 'optional';
  /** How long a PIN check in flight holds its attempt (staff/throttle.ts) before it lapses uncounted. */
  checkLapseMs: number;
}

function pin(env: Env, name: string): string | undefined {
  const v = str(env, name);
  if (v !== undefined && !/^\d{4,12}$/.test(v)) throw new ConfigError(`${name} must be 4 to 12 digits`);
  return v;
}

/** `npm start` in demo mode (server/main.ts): a PIN for each role so every screen can be tried, unless any
 *  staff PIN is set. Only the composition root applies it — tests and other tools configure their own. */
export function demoStaffEnv(env: Env): Env {
  if (['SUPERVISOR_PIN', 'CASHIER_PIN', 'MANAGER_PIN'].some((n) => str(env, n) !== undefined)) return env;
  return { ...env, CASHIER_PIN: DEMO_CASHIER_PIN, MANAGER_PIN: DEMO_MANAGER_PIN };
}

export function staffSettings(env: Env, demo: boolean): StaffSettings {
  const supervisor = pin(env, 'SUPERVISOR_PIN');
  const cashier = pin(env, 'CASHIER_PIN');
  const manager = pin(env, 'MANAGER_PIN');
  if (supervisor !== undefined && supervisor === cashier) throw new ConfigError('CASHIER_PIN must differ from SUPERVISOR_PIN');
  if (manager !== undefined && (manager === supervisor || manager === cashier)) {
    throw new ConfigError('MANAGER_PIN must differ from SUPERVISOR_PIN and CASHIER_PIN');
  }
  const demoDefaultPin = demo && supervisor === undefined;
  const pins: StaffSettings['pins'] = [];
  if (supervisor ?? demoDefaultPin) pins.push({ role: 'supervisor', pin: supervisor ?? DEMO_SUPERVISOR_PIN });
  if (cashier) pins.push({ role: 'cashier', pin: cashier });
  if (manager) pins.push({ role: 'manager', pin: manager });
  const signIn = str(env, 'STAFF_SIGN_IN') ?? 'optional';
  if (signIn !== 'required' && signIn !== 'optional') throw new ConfigError('STAFF_SIGN_IN must be required or optional');
  return {
    pins,
    demoDefaultPin,
    limits: pinLimits(env),
    // 5 min: long enough for a quiet spell at the till, short enough that a walked-away till is not left open.
    idleMs: int(env, 'STAFF_IDLE_MS', 5 * 60_000, 1_000, 24 * 3_600_000),
    signIn,
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
