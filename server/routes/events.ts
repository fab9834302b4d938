// GET /api/events — Server-Sent Events of this terminal's payment changes (DESIGN §5). Frames:
//   id: <payment_events.id>\nevent: payment.updated\ndata: <PaymentView JSON>\n\n
// With Last-Event-ID the stream first replays, for each payment changed since that id, its current state
// (the kiosk wants where a payment is, not every step it took), then continues live. The store's "Call staff"
// alerts come as `event: staff.call` frames (StaffCallFrame JSON) with no id.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import type { PaymentUpdate } from '../events/bus.ts';
import { ApiError } from '../payments/api-error.ts';
import { toPaymentView } from '../payments/view.ts';
import { latestAppliedSince } from '../store/events.ts';
import { getPayment } from '../store/payments.ts';
import { DISPLACED_FRAME } from './sse-streams.ts';

function lastEventId(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The answer is a stream written by hand (no response schema); its frames carry PaymentView JSON.
  app.get('/events', { schema: { headers: Api.EventStreamHeaders } }, async (request, reply) => {
    const { bus, db, config, streams, poller } = app.kiosk;
    const terminal = request.terminal!;
    const resumeFrom = lastEventId(request.headers['last-event-id']);
    if (!streams.hasRoomFor(terminal.id)) {
      reply.header('retry-after', '30');
      throw new ApiError(
        503,
        'too_many_streams',
        'The server has too many open event streams; this tablet polls for now and tries again.',
        { retryAfterSeconds: 30 },
      );
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');

    // Per payment, the last event id sent: an update can arrive more than once (the replay and the live bus
    // overlap; on Postgres a change made here also comes back from the listener, and a catch-up may repeat
    // one), and only a newer event of the same payment is news. Not one watermark for the stream: ids are
    // taken at insert, so across payments a lower id can commit — and arrive — after a higher one.
    const sentFor = new Map<string, number>();
    let replaying = true;
    const buffered: PaymentUpdate[] = [];
    const send = (u: PaymentUpdate): void => {
      if (u.eventId <= (sentFor.get(u.payment.id) ?? 0) || res.writableEnded) return;
      sentFor.set(u.payment.id, u.eventId);
      res.write(`id: ${u.eventId}\nevent: payment.updated\ndata: ${JSON.stringify(toPaymentView(u.payment))}\n\n`);
    };
    // Subscribe before reading history so nothing committed in between is lost; duplicates drop by id.
    const unsubscribe = bus.subscribe(terminal.id, (u) => (replaying ? buffered.push(u) : send(u)));
    // Store-wide "Call staff" alerts carry no id: they are not part of the payment log Last-Event-ID resumes.
    const unsubscribeCalls = bus.subscribeStore(terminal.store_id, (a) => {
      if (!res.writableEnded) res.write(`event: staff.call\ndata: ${JSON.stringify(a.frame)}\n\n`);
    });
    // While the stream is open the terminal's open payments are polled at the fast cadence.
    const unwatch = poller.streamOpened(terminal.id);
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': ping\n\n');
    }, config.sseHeartbeatMs);
    // Nothing awaited between hasRoomFor and add: the cap cannot be overrun by concurrent opens.
    const stream = {
      terminalId: terminal.id,
      end: () => res.end(),
      displace: () => {
        // Its connection goes too: most likely it is a reloaded page's, and no one will reuse it.
        const socket = res.socket;
        res.end(DISPLACED_FRAME, () => socket?.end());
      },
    };
    streams.add(stream);
    let closed = false;
    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeCalls();
      unwatch();
      streams.delete(stream);
    };
    res.on('close', cleanup);
    request.raw.on('close', cleanup);

    try {
      if (resumeFrom !== null) {
        for (const row of await latestAppliedSince(db, terminal.id, resumeFrom)) {
          const payment = await getPayment(db, row.paymentId);
          if (payment) send({ eventId: row.id, payment });
        }
      }
    } catch (err) {
      request.log.error({ err }, 'SSE replay failed');
      res.end();
      cleanup();
      return;
    } finally {
      replaying = false;
    }
    buffered.sort((a, b) => a.eventId - b.eventId).forEach(send);
    buffered.length = 0;
  });
};
