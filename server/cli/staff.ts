// Staff PINs in the database (DESIGN §10), next to SUPERVISOR_PIN / CASHIER_PIN from the environment:
//   npx tsx server/cli/staff.ts add --role supervisor --name "Ana"   (PIN from STAFF_PIN, else asked for)
//   npx tsx server/cli/staff.ts list
//   npx tsx server/cli/staff.ts disable <staff id>
// Only the scrypt hash of a PIN is stored. Two active staff may not share a PIN: the PIN is what says who
// acted in the audit log. Uses the same DATABASE_URL as the server (running or not).
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { hashPin, PIN_SHAPE, verifyPin } from '../staff/pin.ts';
import { openMigratedStore } from '../store/db.ts';
import { disableStaff, insertStaff, listActiveStaff, STAFF_ROLES, type StaffRole } from '../store/staff.ts';

const USAGE = 'Usage: npx tsx server/cli/staff.ts add --role cashier|supervisor --name <name> | list | disable <id>';

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

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let args;
  try {
    args = parseArgs({ options: { role: { type: 'string' }, name: { type: 'string' } }, allowPositionals: true });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. ${USAGE}`);
  }
  const [command, id] = args.positionals;
  const config = loadConfig(process.env);
  const store = await openMigratedStore(config.databaseUrl);
  try {
    if (command === 'list') {
      for (const s of await listActiveStaff(store.db)) console.log(`${s.id}  ${s.role.padEnd(10)}  ${s.name}  (since ${s.created_at})`);
      for (const p of config.staff.pins)
        console.log(
          `env:${p.role}  ${p.role.padEnd(10)}  from ${p.role === 'supervisor' ? 'SUPERVISOR_PIN' : 'CASHIER_PIN'}${config.staff.demoDefaultPin && p.role === 'supervisor' ? ' (demo default)' : ''}`,
        );
    } else if (command === 'add') {
      const role = args.values.role as StaffRole | undefined;
      const name = args.values.name?.trim();
      if (!role || !STAFF_ROLES.includes(role)) throw new ConfigError(`--role must be cashier or supervisor. ${USAGE}`);
      if (!name || name.length > 64) throw new ConfigError(`--name must be 1-64 characters. ${USAGE}`);
      const pin = await readPin();
      if (!PIN_SHAPE.test(pin)) throw new ConfigError('A PIN is 4 to 12 digits.');
      const clashes = await Promise.all((await listActiveStaff(store.db)).map((s) => verifyPin(pin, s.pin_hash)));
      if (clashes.some(Boolean) || config.staff.pins.some((p) => p.pin === pin)) {
        throw new ConfigError('Someone already has that PIN; choose another (the PIN is what identifies who acted).');
      }
      const row = await insertStaff(store.db, { name, role, pinHash: await hashPin(pin) });
      console.log(`Added ${row.role} ${row.name}: ${row.id}`);
    } else if (command === 'disable' && id) {
      console.log((await disableStaff(store.db, id)) ? `Disabled ${id}` : `No active staff member ${id}`);
    } else {
      throw new ConfigError(USAGE);
    }
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `Error: ${err.message}` : err);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
