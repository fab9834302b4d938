import { type Kysely, type Migration } from 'kysely';

// Proxies sharing a provider budget take turns (payments/token-bucket.ts): the proxy refused a token last is
// named here with its line (urgent, normal), and the next token is kept for it for a short while; the proxy
// granted tokens last is named too (its own refusals claim no turn).
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('provider_budgets').addColumn('next_taker', 'text').execute();
      await db.schema
        .alterTable('provider_budgets')
        .addColumn('next_until', 'double precision', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('provider_budgets').addColumn('next_line', 'text').execute();
      await db.schema.alterTable('provider_budgets').addColumn('last_taker', 'text').execute();
    },
  };
}
