import type { Store } from '../store/database.ts';
import type { SessionPolicy } from '../cases/sessions.ts';
import type { JobQueue } from '../jobs/queue.ts';

/** What every route module receives. */
export interface ApiContext {
  store: Store;
  policy: SessionPolicy;
  now: () => Date;
  secureCookies: boolean;
  /** Where uploads are written before ingest. */
  uploadDir: string;
  /** Where long work goes (a route answers 202 with the job's id). */
  jobs: JobQueue;
}
