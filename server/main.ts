// `npm start` / `npm run serve`: load config, build, listen, and shut down cleanly on SIGINT/SIGTERM
// (stop the reconciler, close streams, close the database) so no payment write is cut in half.
//
// The composition root: the ONLY server file that imports sandbox/. It injects the sandbox (simulators,
// their demo values and SIM_* settings) through the one seam, loadConfig(env, sandbox) and
// buildApp(config, {sandbox}) (server/wiring/sandbox.ts); buildApp mounts it in demo mode only.
import { existsSync } from 'node:fs';
import { sandbox } from '../sandbox/index.ts';
import { buildApp } from './app.ts';
import { ConfigError, DEMO_SUPERVISOR_PIN, loadConfig } from './config.ts';
import { demoStaffEnv, staffSettings } from './config/staff.ts';
import { crashHooksFromEnv } from './crash-hooks.ts';
import { missingProviders } from './wiring/check-store.ts';

function banner(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`].join('\n');
}

async function main(): Promise<void> {
  // A local .env (see .env.example) fills in what the real environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env, sandbox);
    if (config.demo) config = { ...config, staff: staffSettings(demoStaffEnv(process.env), true) };
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  let app;
  try {
    // Crash hooks only with NODE_ENV=test or KIOSK_CRASH_HOOKS=1 and CRASH_AT set; otherwise undefined (no hooks).
    app = await buildApp(config, { sandbox, paymentHooks: crashHooksFromEnv(process.env) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });

  if (config.demo) {
    // One link per demo store (one per provider): each pairs a kiosk into that store.
    const links: string[] = [];
    const ids = [config.storeId, ...[...app.kiosk.stores.keys()].filter((id) => id !== config.storeId).sort()];
    for (const id of ids) {
      if (missingProviders(config, app.kiosk.stores.get(id)!).length) continue;
      const s = app.kiosk.stores.get(id)!;
      const { url } = await app.kiosk.createPairingCode(id);
      links.push(`${s.name} (${s.currency}):`, `  ${url}`);
    }
    const base = config.publicUrl;
    console.log(
      `\n${banner([
        'QR-wallet kiosk — DEMO mode (simulated wallets, no real money)',
        '',
        'Kiosk — open one link per tablet:',
        ...links,
        '',
        `Wallet: ${base}/wallet`,
        '',
        config.staff.demoDefaultPin
          ? `Supervisor PIN (refunds, voids): ${DEMO_SUPERVISOR_PIN} — demo default; set SUPERVISOR_PIN to change it`
          : 'Supervisor PIN: as set in SUPERVISOR_PIN / server/cli/staff.ts',
        // The demo defaults only: a PIN set in the environment is not echoed to the console.
        ...(config.staff.demoDefaultPin ? [`Staff sign-in PINs: ${config.staff.pins.map((p) => `${p.role} ${p.pin}`).join(', ')}`] : []),
        '',
        `Each pairing link works once, for ${Math.round(config.pairingTtlMs / 60_000)} minutes.`,
        'New one: npm run pair -- --store <id>   (switch stores later in Settings)',
      ])}\n`,
    );
  } else {
    console.log(`Kiosk proxy listening on ${config.publicUrl} — pair a tablet with: npm run pair`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
