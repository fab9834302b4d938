// The day report and the day close (issue 11). Both need a supervisor: signed in at the tablet, or their PIN
// (X-Staff-Pin, like refunds, so a paired terminal's token plus the PIN is enough for scripts), or a grant
// that PIN bought (X-Staff-Grant; staff/roles.ts: the report takes a store view or a day-close grant, the Z
// only a day-close grant).
//   GET  /api/reports/day?date=YYYY-MM-DD&scope=terminal|store[&reconcile=false]  → DayReport (X; Z once closed)
//        Accept: text/csv → the same as CSV
//   POST /api/reports/day/close {date?, scope?}  → {created, report} (201 new Z; 200 the Z already recorded)
// Store scope covers every terminal of the terminal's own store, never another store.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import * as Api from '../../src/shared/api-schemas.ts';
import { ApiError } from '../payments/api-error.ts';
import { businessDate, dayBounds, isCalendarDate } from '../reports/business-day.ts';
import { dayReportCsv } from '../reports/csv.ts';
import { dayTotals, dayWindow, type DayTotals } from '../reports/day-report.ts';
import { reconcileStoreDay } from '../reports/reconcile.ts';
import type { ReportScope } from '../store/day-totals.ts';
import { recordZ, type ZReport } from '../store/z-reports.ts';
import { acceptedGrants, minimumRole } from '../staff/roles.ts';

type Report = Static<typeof Api.DayReport>;

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, stores, staffGate, providers, adapters } = app.kiosk;

  function resolve(request: FastifyRequest, q: { date?: string; scope?: 'terminal' | 'store' }) {
    const terminal = request.terminal!;
    const store = stores.get(terminal.store_id);
    if (!store) throw new ApiError(409, 'store_unknown', `This terminal's store ${terminal.store_id} is not configured`);
    const today = businessDate(Date.now(), store.timezone);
    const date = q.date ?? today;
    if (!isCalendarDate(date)) throw new ApiError(400, 'invalid_date', 'date must be a calendar date YYYY-MM-DD');
    if (date > today) throw new ApiError(422, 'day_not_started', `${date} has not begun in ${store.timezone} (today is ${today})`);
    const scopeName = q.scope ?? 'terminal';
    const scope: ReportScope = scopeName === 'store' ? { kind: 'store', storeId: store.id } : { kind: 'terminal', terminalId: terminal.id };
    const scopeKey = scopeName === 'store' ? store.id : terminal.id;
    return { terminal, store, date, scopeName, scope, scopeKey };
  }

  function build(
    ctx: ReturnType<typeof resolve>,
    window: { from: string; to: string },
    totals: DayTotals,
    z: ZReport | undefined,
    reconciliation: Report['reconciliation'],
  ): Report {
    return {
      kind: z ? 'Z' : 'X',
      date: ctx.date,
      timezone: ctx.store.timezone,
      scope: ctx.scopeName,
      storeId: ctx.store.id,
      terminalId: ctx.scopeName === 'terminal' ? ctx.terminal.id : null,
      window,
      generatedAt: new Date().toISOString(),
      closed: z ? { id: z.id, number: z.number, closedAt: z.closedAt, closedBy: z.closedBy } : null,
      ...totals,
      reconciliation,
    };
  }

  const reconcile = (ctx: ReturnType<typeof resolve>) =>
    reconcileStoreDay({ db, providers, adapters }, ctx.store, ctx.date, dayBounds(ctx.date, ctx.store.timezone));

  function send(request: FastifyRequest, reply: FastifyReply, report: Report, status = 200) {
    const accept = request.headers.accept ?? '';
    if (/\btext\/csv\b/.test(accept)) {
      return reply
        .status(status)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="day-${report.storeId}-${report.date}-${report.scope}.csv"`)
        .serializer((s: unknown) => s as string)
        .send(dayReportCsv(report));
    }
    return reply.status(status).send(report);
  }

  app.get(
    '/reports/day',
    { schema: { querystring: Api.DayReportQuery, headers: Api.StaffPinHeaders, response: { 200: Api.DayReport } } },
    async (request, reply) => {
      const ctx = resolve(request, request.query);
      await staffGate.require(request, reply, minimumRole('day_report'), 'day_report', null, { grants: acceptedGrants('day_report') });
      const { window, z } = await dayWindow(db, ctx.scopeName, ctx.scopeKey, ctx.date, ctx.store.timezone);
      const totals = z ? (z.totals as DayTotals) : await dayTotals(db, ctx.scope, window);
      const reconciliation = request.query.reconcile === 'false' ? {} : await reconcile(ctx);
      return send(request, reply, build(ctx, window, totals, z, reconciliation));
    },
  );

  app.post(
    '/reports/day/close',
    { schema: { body: Api.DayCloseRequest, headers: Api.StaffPinHeaders, response: { '2xx': Api.DayCloseResponse } } },
    async (request, reply) => {
      const body = request.body;
      const ctx = resolve(request, body);
      const staff = await staffGate.require(request, reply, minimumRole('day_close'), 'day_close', null, {
        grants: acceptedGrants('day_close'),
      });
      const found = await dayWindow(db, ctx.scopeName, ctx.scopeKey, ctx.date, ctx.store.timezone);
      const reconciliation = await reconcile(ctx);
      if (found.z) {
        return reply
          .status(200)
          .send({ created: false, report: build(ctx, found.window, found.z.totals as DayTotals, found.z, reconciliation) });
      }
      // Closing ends the day now (or at midnight, for a past day): anything later counts on the next day.
      const closedAt = new Date().toISOString();
      const window = { from: found.window.from, to: closedAt < found.window.to ? closedAt : found.window.to };
      const totals = await dayTotals(db, ctx.scope, window);
      const { z, created } = await recordZ(db, {
        scope: ctx.scopeName,
        scopeKey: ctx.scopeKey,
        storeId: ctx.store.id,
        businessDate: ctx.date,
        windowStart: window.from,
        windowEnd: window.to,
        totals,
        closedBy: { staffId: staff.id, name: staff.name, terminalId: ctx.terminal.id },
        closedAt,
      });
      const report = build(ctx, { from: z.windowStart, to: z.windowEnd }, z.totals as DayTotals, z, reconciliation);
      return reply.status(created ? 201 : 200).send({ created, report });
    },
  );
};
