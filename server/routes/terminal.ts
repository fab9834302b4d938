// GET /api/terminal → what this kiosk needs to ring up sales (TerminalInfo).
// PUT /api/terminal/store {storeId} → switch this terminal to another store (demo mode only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TerminalInfo } from '../../src/shared/api.ts';
import * as Api from '../../src/shared/api-schemas.ts';
import { VENDOR_LABELS } from '../../src/shared/classify.ts';
import { ApiError } from '../payments/api-error.ts';
import { acceptedVendors, offeredMpm } from '../payments/routing.ts';
import type { StoreConfig } from '../store/store-config.ts';
import { switchTerminalStore, type TerminalRow } from '../store/terminals.ts';
import { missingProviders } from '../wiring/check-store.ts';

export const terminalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { service, adapters, config, stores } = app.kiosk;

  /** Stores a demo terminal can switch to: those whose providers this server has. */
  const switchable = (): StoreConfig[] => [...stores.values()].filter((s) => missingProviders(config, s).length === 0);

  const info = (terminal: TerminalRow): TerminalInfo => {
    const store = service.storeOf(terminal);
    return {
      terminalId: terminal.id,
      terminalName: terminal.name,
      store: {
        id: store.id,
        name: store.name,
        currency: store.currency,
        locale: store.locale,
        ...(store.language ? { language: store.language } : {}),
        catalogue: store.catalogue,
        acceptedVendors: acceptedVendors(store, adapters).map((vendor) => ({
          vendor,
          provider: store.routing[vendor]!,
          label: VENDOR_LABELS[vendor],
        })),
        mpmOptions: offeredMpm(store, adapters),
        maxAmount: { value: service.maxAmountFor(store), currency: store.currency },
        ...(store.receiptFooter ? { receiptFooter: store.receiptFooter } : {}),
        timezone: store.timezone,
        ...(store.address ? { address: store.address } : {}),
        ...(store.taxId ? { taxId: store.taxId } : {}),
      },
      demo: config.demo,
      selfCheckout: { on: terminal.self_checkout === 1, idleMs: config.selfCheckoutIdleMs },
      ...(config.demo
        ? {
            availableStores: switchable().map((s) => ({ id: s.id, name: s.name, currency: s.currency, locale: s.locale })),
          }
        : {}),
    };
  };

  app.get('/terminal', { schema: { response: { 200: Api.TerminalInfo } } }, async (request) => info(request.terminal!));

  app.put(
    '/terminal/store',
    {
      schema: { body: Api.SwitchStoreRequest, response: { 200: Api.TerminalInfo } },
      // Before the body is looked at: outside demo mode there is nothing to get right.
      preValidation: async () => {
        if (!config.demo) {
          // A real terminal's store decides currency, prices and which merchant account is charged: it is set
          // when the terminal is paired (npm run pair -- --store <id>), not from the till.
          throw new ApiError(403, 'demo_only', 'Switching stores is only available in demo mode. Pair the tablet again for another store.');
        }
      },
    },
    async (request) => {
      const { storeId } = request.body;
      const target = switchable().find((s) => s.id === storeId);
      if (!target) {
        throw new ApiError(404, 'unknown_store', `No store ${JSON.stringify(storeId.slice(0, 64))} here.`, {
          available: switchable().map((s) => s.id),
        });
      }
      const terminal = request.terminal!;
      const r = await switchTerminalStore(app.kiosk.db, terminal.id, target.id);
      if (r === 'open_payment') {
        throw new ApiError(409, 'terminal_has_open_payment', 'Finish or cancel the payment in progress before switching stores.');
      }
      if (r === 'not_found') throw new ApiError(401, 'unauthorized', "This tablet's pairing is not valid any more. Pair it again.");
      request.log.info({ terminalId: terminal.id, from: terminal.store_id, to: target.id }, 'terminal switched store');
      return info({ ...terminal, store_id: target.id });
    },
  );
};
