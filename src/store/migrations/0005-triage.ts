import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Rulesets, scores and their reasons (owner: triage stage). */
export const triage: Migration = {
  async up(_db: Kysely<unknown>): Promise<void> {
    // placeholder: filled in by its stage
  },
};
