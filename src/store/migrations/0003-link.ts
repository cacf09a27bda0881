import type { Kysely, Migration } from 'kysely';

/** Identifiers, links, subjects, hub values and exclusions. */
export const link: Migration = {
  async up(_db: Kysely<unknown>): Promise<void> {
    // placeholder: filled in with the linking stage
  },
};
