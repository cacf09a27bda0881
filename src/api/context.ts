import type { Store } from '../store/database.ts';
import type { SessionPolicy } from '../cases/sessions.ts';

/** What every route module receives. */
export interface ApiContext {
  store: Store;
  policy: SessionPolicy;
  now: () => Date;
  secureCookies: boolean;
  /** Where uploads are written before ingest. */
  uploadDir: string;
}
