import type { Kysely, Migration } from 'kysely';

// Migrations are frozen once released: a later change is a new file, never an edit here.
/** Report templates shared between users (owner: exports). */
export const exports: Migration = {
  async up(_db: Kysely<unknown>): Promise<void> {
    // placeholder: filled in by its stage
  },
};
