// GET /api/terminal → what this kiosk needs to ring up sales (TerminalInfo).
import type { FastifyInstance } from 'fastify';
import type { TerminalInfo } from '../../src/shared/api.ts';
import { VENDOR_LABELS } from '../../src/shared/classify.ts';
import { acceptedVendors } from '../payments/validate.ts';

export async function terminalRoutes(app: FastifyInstance): Promise<void> {
  app.get('/terminal', async (request) => {
    const { service, adapters, config } = app.kiosk;
    const terminal = request.terminal!;
    const store = service.storeOf(terminal);
    const info: TerminalInfo = {
      terminalId: terminal.id,
      store: {
        id: store.id,
        name: store.name,
        currency: store.currency,
        locale: store.locale,
        catalogue: store.catalogue,
        acceptedVendors: acceptedVendors(store, adapters).map((vendor) => ({
          vendor, provider: store.routing[vendor]!, label: VENDOR_LABELS[vendor],
        })),
        maxAmount: { value: service.maxAmountFor(store), currency: store.currency },
        ...(store.receiptFooter ? { receiptFooter: store.receiptFooter } : {}),
      },
      demo: config.demo,
    };
    return info;
  });
}
