// PIN checks in flight (issue 9): a right PIN never costs an attempt, however many are checked at once; wrong
// guesses still never get more verdicts than the limit; and a check whose proxy died mid-way (its reservation
// never given back) lapses without leaving a failure behind. Real app, real Pockyt simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { staffSettings } from '../../server/config/staff.ts';
import { PinThrottle, type ScopeKey } from '../../server/staff/throttle.ts';
import { NO_IPN, startServer, type TestServer } from './helpers/app.ts';
import { alipayTestCode, Kiosk, order, type Reply } from './helpers/kiosk.ts';
import { DEMO_PIN, voidPayment } from './helpers/staff.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

const LIMITS = { RATE_LIMIT_PIN_PER_TERMINAL: '1000', STAFF_PIN_MAX_ATTEMPTS: '5', STAFF_PIN_LOCKOUT_MS: '600000' };

async function start(env: Record<string, string> = {}): Promise<{ server: TestServer; k: Kiosk }> {
  const server = await startServer({ ...NO_IPN, ...LIMITS, ...env });
  servers.push(server);
  return { server, k: new Kiosk(server.baseUrl, server.token) };
}

/** A paid payment to act on. Ten charged at once on a busy machine can outlast the proxy's provider timeout
 *  and come back `unknown` (the honest answer then); the reconciler settles them, so wait for that. */
async function paid(k: Kiosk): Promise<string> {
  const r = await k.pay({ orderId: order(), amount: { value: 1000, currency: 'USD' }, mode: 'cpm', code: alipayTestCode('0001') });
  expect(['succeeded', 'unknown', 'pending']).toContain(r.body.status);
  if (r.body.status !== 'succeeded')
    expect((await k.waitFor(r.body.id, (p) => p.status !== 'unknown' && p.status !== 'pending', 20_000)).status).toBe('succeeded');
  return r.body.id;
}

let nextGuess = 30_000_000;
const guess = () => String(nextGuess++);
const code = (r: Reply) => `${r.status} ${r.body?.error?.code ?? r.body?.status}`;
const tally = (rs: Reply[]) => rs.map(code).reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});

describe('PIN checks in flight', () => {
  it('10 right supervisor PINs at once with a limit of 5: all accepted, none locks the tablet', async () => {
    const { k } = await start();
    const ids = await Promise.all(Array.from({ length: 10 }, () => paid(k)));
    const answers = await Promise.all(ids.map((id) => voidPayment(k, id, DEMO_PIN)));
    expect(tally(answers)).toEqual({ '200 reversed': 10 });
    // Nothing was counted: five wrong guesses are still needed to lock.
    const p = await paid(k);
    expect((await voidPayment(k, p, guess())).body.error.details.attemptsLeft).toBe(4);
  });

  it('after 3 wrong PINs, 20 concurrent wrong guesses get 2 verdicts; the rest are locked out unchecked', async () => {
    const { server, k } = await start();
    const p = await paid(k);
    for (let i = 0; i < 3; i++) expect(code(await voidPayment(k, p, guess()))).toBe('403 invalid_pin');
    const answers = await Promise.all(Array.from({ length: 20 }, () => voidPayment(k, p, guess())));
    expect(tally(answers)).toEqual({ '403 invalid_pin': 2, '429 pin_locked': 18 });
    const row = await server.app.kiosk.db
      .selectFrom('pin_throttle')
      .selectAll()
      .where('scope', '=', 'terminal')
      .where('key', '=', server.terminalId)
      .executeTakeFirstOrThrow();
    expect(Number(row.failures)).toBe(5);
  });

  it('checks a dead proxy left in flight hold their slots only until they lapse, and count as no failure', async () => {
    const { server, k } = await start({ STAFF_PIN_CHECK_LAPSE_MS: '1500' });
    const p = await paid(k);
    // Another proxy on this database reserved all five attempts of this tablet, then died before any verdict.
    const dead = new PinThrottle(server.app.kiosk.db, staffSettings(LIMITS, true).limits, Date.now, { reservationMs: 1500 });
    const scopes: ScopeKey[] = [
      { scope: 'terminal', key: server.terminalId },
      { scope: 'store', key: 'demo-us' },
      { scope: 'staff', key: 'env:supervisor' },
    ];
    // Each reservation lapses 1.5 s after its own take, so none before `reservedFrom` + 1.5 s. Timed from the
    // first take, not the last: on a busy machine the five takes alone can last a second.
    const reservedFrom = Date.now();
    for (let i = 0; i < 5; i++) expect((await dead.take(scopes)).granted).toBe(true);

    expect(code(await voidPayment(k, p, DEMO_PIN))).toBe('200 reversed');
    // It waited for the dead checks to lapse (it could not know they were dead), and was then let through.
    expect(Date.now() - reservedFrom).toBeGreaterThanOrEqual(1500);
    const q = await paid(k);
    expect((await voidPayment(k, q, guess())).body.error.details.attemptsLeft).toBe(4);
  });
});
