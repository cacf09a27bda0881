import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/**
 * Weak evidence carries its weight (owner: link stage): a shared display name, IP or URL adds
 * log2(m/u) bits from how much its agreement proves, and a pair links when weak evidence of two
 * kinds adds up to the threshold (docs/linking.md §2.1). Strong and medium rows have no weight.
 */
export const linkEvidenceWeight: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('link_evidence').addColumn('weight', 'double precision').execute();
  },
};
