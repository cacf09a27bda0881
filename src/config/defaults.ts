// The default of every setting (src/config/settings.ts says what each means and where it can be
// set). Plain values with no imports, so that code that only needs a default (the ingest worker
// thread, the command line's help) can read them without loading the configuration's validator.

/** A worker role: a group of job kinds (src/jobs/kinds.ts maps each to its kinds). */
export const WORKER_ROLE_NAMES = ['stages', 'ingest', 'exports'] as const;

const MiB = 1024 ** 2;

/** Every setting's default. */
export const DEFAULTS = {
  database: {
    data: './bantay-data',
    // Ten connections: a report view reads about ten things at once, and an audit append that
    // waits for its lock must not hold up the other requests.
    poolSize: 10,
    jobPoolSize: 4,
  },
  server: {
    host: '127.0.0.1',
    port: 8080,
    secureCookies: false,
    trustProxy: [] as string[],
    runJobs: true,
    bodyLimitBytes: 1 * MiB,
    uploadMaxFileBytes: 512 * MiB,
    uploadMaxFiles: 20,
  },
  tiles: {
    // An .mbtiles file is read whole into memory (sql.js); a larger one belongs in .pmtiles.
    mbtilesMaxMb: 256,
  },
  worker: {
    roles: [] as (typeof WORKER_ROLE_NAMES)[number][],
    concurrency: 1,
    staleAfterSeconds: 120,
  },
  cache: {
    // A queue total is counted once per filter and then served from memory this long.
    queueCountSeconds: 5,
    // A change of the open-queue setting made by another process is seen within this long.
    queueSettingSeconds: 2,
  },
  triage: {
    // Below this many reports a full re-score stays on the main thread: starting a worker costs more.
    threadFrom: 50_000,
  },
  ingest: {
    maxTextBytes: 1 * MiB,
    maxReportBytes: 8 * MiB,
    maxDepth: 64,
    maxAttributes: 256,
    maxEntryBytes: 2 * 1024 * MiB,
    maxCompressionRatio: 200,
    ratioCheckAboveBytes: 16 * MiB,
    maxElements: 250_000,
    maxFileElements: 50_000_000,
    maxRejectsPerFile: 1000,
    maxFileSeconds: 1800,
  },
  secrets: {},
};
