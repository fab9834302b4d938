// Barcode helpers (spec §5.12): decode a scanned code, look up a patron code by its barcode (fields as the
// docs' patron-codes-get-by-barcode example, incl. appName and assetId).
import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';
import { asObject, badRequest, ok, PATHS, refuse } from './protocol.ts';
import { registerApiRoute } from './route.ts';
import { checkPatronCode, scenarioFor } from './scenarios.ts';

export function registerCodeRoutes(app: FastifyInstance, ctx: SimContext): void {
  registerApiRoute(app, ctx, 'POST', PATHS.decode, (req) => {
    const b = asObject(req.body);
    if (!b || typeof b.code !== 'string' || b.code === '') return badRequest('code is required');
    if (b.scannedBy !== 'merchant') return badRequest('scannedBy must be "merchant"');
    if (typeof b.merchantConfigId !== 'string' || b.merchantConfigId === '') return badRequest('merchantConfigId is required');
    if (b.merchantConfigId !== ctx.configId) return refuse(403, 'MERCHANT_CONFIG_NOT_FOUND');
    if (!checkPatronCode(b.code, ctx.luhnCheck).ok) return refuse(403, 'UNKNOWN_CODE');
    return ok({
      code: b.code,
      scannedBy: 'merchant',
      merchantConfigId: b.merchantConfigId,
      provider: 'centrapay',
      displayName: 'Centrapay',
    });
  });

  registerApiRoute(app, ctx, 'GET', PATHS.patronCode, (req) => {
    const barcode = (req.params as { barcode?: string }).barcode ?? '';
    const check = checkPatronCode(barcode, ctx.luhnCheck);
    if (!check.ok) return refuse(check.status, check.message, check.reason);
    const issued = ctx.ledger.patronCode(barcode);
    if (issued) {
      if (ctx.ledger.codeState(issued) === 'expired') return refuse(403, 'PATRON_CODE_INVALID', 'patron code expired');
      return ok({
        id: issued.id,
        accountId: `patron-${issued.id.slice(0, 8)}`,
        barcode,
        createdAt: new Date(issued.issuedAt).toISOString(),
        expiresAt: new Date(issued.expiresAt).toISOString(),
        appName: 'centrapay',
        assetId: `asset-${issued.id.slice(0, 16)}`,
        metadata: {},
      });
    }
    const scenario = scenarioFor(barcode);
    if (scenario === 'code_invalid') return refuse(403, 'PATRON_CODE_INVALID', 'test code: unknown patron code');
    // Test codes never expire; they are described as if just issued.
    const now = Date.now();
    return ok({
      id: `pc_test_${barcode.slice(-8)}`,
      accountId: 'patron-test',
      barcode,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ctx.codeTtlMs).toISOString(),
      appName: 'centrapay',
      assetId: `asset-test-${barcode.slice(-8)}`,
      metadata: {},
      ...(scenario === 'photo_id' ? { testScenarioName: 'force-condition-check-photo-id' } : {}),
    });
  });
}
