// Shutting down while a request is still being answered (a provider notification, a kiosk call): the answer
// goes out, and close() does not then wait for that client's keep-alive connection. Node's server.close()
// drops only the connections idle at the moment it is called; one whose answer is sent later stayed open
// for the keep-alive timeout (72 s), so a restart — or a test's afterAll — hung that long.
import { expect, it } from 'vitest';
import { startServer } from './helpers/app.ts';

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

it('a request answered after shutdown began gets its answer, and close() finishes at once', async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((res) => {
    entered = res;
  });
  let release!: () => void;
  const released = new Promise<void>((res) => {
    release = res;
  });
  const server = await startServer(
    {},
    {
      routes: (app) =>
        app.get('/test/held', async () => {
          entered();
          await released;
          return { ok: true };
        }),
    },
  );
  const answer = fetch(`${server.baseUrl}/test/held`).then(async (r) => ({
    status: r.status,
    body: await r.json(),
    connection: r.headers.get('connection'),
  }));
  await inHandler;
  const closed = server.close().then(() => 'closed' as const);
  try {
    // Answer only once the listening socket is gone (server.close() has run, idle connections are dropped).
    while (server.app.server.listening) await sleep(5);
    release();
    expect(await answer).toEqual({ status: 200, body: { ok: true }, connection: 'close' });
    expect(await Promise.race([closed, sleep(5_000).then(() => 'still open' as const)])).toBe('closed');
  } finally {
    server.app.server.closeAllConnections();
    await closed;
  }
});
