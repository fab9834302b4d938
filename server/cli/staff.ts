// Staff PINs in the database (DESIGN §10), next to SUPERVISOR_PIN / CASHIER_PIN / MANAGER_PIN from the
// environment. A manager can do the same on the kiosk (Settings → Staff); both follow staff/staff-admin.ts.
//   npm run staff -- list                                      everyone, disabled members too
//   npm run staff -- add --role cashier|supervisor|manager --name "Ana"   (PIN from STAFF_PIN, else asked for)
//   npm run staff -- set-pin <staff id>                        (new PIN from STAFF_PIN, else asked for)
//   npm run staff -- role <staff id> --role supervisor         (signs them out at every tablet)
//   npm run staff -- disable <staff id>                        (signs them out at every tablet)
// Only the scrypt hash of a PIN is stored. Two active staff may not share a PIN: the PIN is what says who
// acted in the audit log. Uses the same DATABASE_URL as the server (running or not).
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { demoStaffEnv, staffSettings } from '../config/staff.ts';
import { ApiError } from '../payments/api-error.ts';
import { StaffAdmin } from '../staff/staff-admin.ts';
import { openMigratedStore } from '../store/db.ts';
import { isStaffRole, listAllStaff, STAFF_ROLES, type StaffRole } from '../store/staff.ts';

const USAGE =
  'Usage: npm run staff -- list | add --role <role> --name <name> | set-pin <id> | role <id> --role <role> | disable <id>' +
  ` (roles: ${STAFF_ROLES.join(', ')}; a PIN comes from STAFF_PIN or is asked for)`;

async function readPin(): Promise<string> {
  const fromEnv = process.env.STAFF_PIN?.trim();
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question('PIN (4-12 digits): ')).trim();
  } finally {
    rl.close();
  }
}

function roleArg(value: string | undefined): StaffRole {
  if (!isStaffRole(value)) throw new ConfigError(`--role must be one of ${STAFF_ROLES.join(', ')}. ${USAGE}`);
  return value;
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let args;
  try {
    args = parseArgs({ options: { role: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. ${USAGE}`);
  }
  const [command, id] = args.positionals;
  const loaded = loadConfig(process.env);
  // Demo mode: the PINs `npm start` accepts (server/main.ts), so a new PIN cannot clash with one of them.
  const config = loaded.demo ? { ...loaded, staff: staffSettings(demoStaffEnv(process.env), true) } : loaded;
  const store = await openMigratedStore(config.databaseUrl);
  const admin = new StaffAdmin(store.db, config.staff.pins);
  try {
    if (command === 'list') {
      for (const s of await listAllStaff(store.db)) {
        const state = s.disabled_at ? `disabled ${s.disabled_at}` : `since ${s.created_at}`;
        console.log(`${s.id}  ${s.role.padEnd(10)}  ${s.name}  (${state})`);
      }
      for (const p of config.staff.pins) {
        const demo = config.staff.demoDefaultPin ? ' (demo default unless set)' : '';
        console.log(`env:${p.role}  ${p.role.padEnd(10)}  from ${p.role.toUpperCase()}_PIN${demo}`);
      }
    } else if (command === 'add') {
      const role = roleArg(args.values.role);
      const name = args.values.name?.trim();
      if (!name || name.length > 64) throw new ConfigError(`--name must be 1-64 characters. ${USAGE}`);
      const row = await admin.add({ name, role, pin: await readPin() });
      console.log(`Added ${row.role} ${row.name}: ${row.id}`);
    } else if (command === 'set-pin' && id) {
      await admin.setPin(id, await readPin());
      console.log(`New PIN set for ${id}`);
    } else if (command === 'role' && id) {
      const role = roleArg(args.values.role);
      await admin.setRole(id, role);
      console.log(`${id} is now ${role} (signed out at every tablet)`);
    } else if (command === 'disable' && id) {
      await admin.disable(id);
      console.log(`Disabled ${id} (signed out at every tablet)`);
    } else {
      throw new ConfigError(USAGE);
    }
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  // The shared rules answer in API errors (pin_taken, staff_not_found …): their message is the CLI's too.
  const known = err instanceof ConfigError || err instanceof ApiError;
  console.error(known ? `Error: ${err.message}` : err);
  process.exit(known ? 78 : 1);
});
