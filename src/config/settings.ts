// Every setting of Bantay in one schema. Each leaf says what it means (`description`), its default
// (src/config/defaults.ts) and the environment variable that sets it (`env`); `secret` marks a value
// that is never printed and never read from the configuration file. docs/configuration.md lists
// them all; a test keeps that table and this schema in step.
// The schema is plain JSON Schema, checked by TypeBox's validator (typebox/schema): the builders of
// the full TypeBox load three times as many modules, and every command reads its configuration
// before it answers (docs/configuration.md).
import { DEFAULTS, WORKER_ROLE_NAMES } from './defaults.ts';

interface Leaf {
  readonly type: string;
  readonly description: string;
  readonly env?: string;
  readonly default?: unknown;
  readonly secret?: boolean;
  readonly filled?: boolean;
}

// A section holds leaves; the leaves with a default (or filled in by the loader) are always present.
function section<const P extends Record<string, Leaf>>(properties: P) {
  const required = Object.keys(properties).filter((k) => properties[k]!.default !== undefined || properties[k]!.filled);
  return { type: 'object', additionalProperties: false, properties, required } as const;
}
// The whole: every section, each always present.
function sections<const P extends Record<string, { readonly type: 'object'; readonly properties: Record<string, Leaf> }>>(properties: P) {
  return { type: 'object', additionalProperties: false, properties, required: Object.keys(properties) } as const;
}
const count = <const D extends number>(minimum: number, maximum: number, d: D, env: string, description: string) =>
  ({ type: 'integer', minimum, maximum, default: d, env, description }) as const;
const seconds = <const D extends number>(d: D, env: string, description: string) =>
  ({ type: 'number', minimum: 0, maximum: 86_400, default: d, env, description }) as const;
const flag = <const D extends boolean>(d: D, env: string, description: string) => ({ type: 'boolean', default: d, env, description }) as const;
const text = <const D extends string>(d: D, env: string, description: string) => ({ type: 'string', minLength: 1, default: d, env, description }) as const;
const path = (env: string, description: string) => ({ type: 'string', minLength: 1, env, description }) as const;
const url = (pattern: string, env: string, description: string) => ({ type: 'string', pattern, env, description }) as const;
const secret = (env: string, description: string) => ({ type: 'string', minLength: 1, env, description, secret: true }) as const;
const D = DEFAULTS;
const I = D.ingest;

/** The configuration's schema. */
export const ConfigSchema = sections({
  database: section({
    data: text(D.database.data, 'BANTAY_DATA', "the embedded database's folder (used when no database.url is set; --data overrides both)"),
    url: url('^postgres(ql)?://', 'DATABASE_URL', 'a PostgreSQL server instead of the embedded database (postgres://user:password@host:port/db)'),
    ownerUrl: url(
      '^postgres(ql)?://',
      'BANTAY_OWNER_DATABASE_URL',
      'the owner\'s connection, which runs migrations and grants the application role (docs/storage.md "Roles")',
    ),
    poolSize: count(1, 1000, D.database.poolSize, 'BANTAY_DB_POOL_SIZE', 'connections to a PostgreSQL server per process'),
    jobPoolSize: count(1, 100, D.database.jobPoolSize, 'BANTAY_JOB_POOL_SIZE', 'connections of the job queue (pg-boss) to a PostgreSQL server per process'),
  }),
  server: section({
    host: text(D.server.host, 'BANTAY_HOST', 'the address `bantay serve` listens on (anything but loopback wants a TLS proxy in front)'),
    port: count(0, 65_535, D.server.port, 'BANTAY_PORT', 'the port of `bantay serve` and `bantay demo`'),
    secureCookies: flag(D.server.secureCookies, 'BANTAY_SECURE_COOKIES', 'mark the session cookie Secure (behind a TLS proxy)'),
    trustProxy: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: D.server.trustProxy,
      env: 'BANTAY_TRUST_PROXY',
      description: 'addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed (comma-separated in the variable)',
    },
    runJobs: flag(D.server.runJobs, 'BANTAY_SERVE_RUNS_JOBS', '`bantay serve` runs queued jobs itself (false when `bantay worker` processes run them)'),
    webDir: path('BANTAY_WEB_DIR', 'the built web app (default dist/web under the working folder)'),
    uploadDir: path('BANTAY_UPLOAD_DIR', "where uploads wait for their ingest (default the data folder's uploads/, on a server the system's temporary folder)"),
    bodyLimitBytes: count(1024, 1024 ** 3, D.server.bodyLimitBytes, 'BANTAY_BODY_LIMIT_BYTES', 'the largest JSON request body'),
    uploadMaxFileBytes: count(1024, 64 * 1024 ** 3, D.server.uploadMaxFileBytes, 'BANTAY_UPLOAD_MAX_FILE_BYTES', 'the largest uploaded file'),
    uploadMaxFiles: count(1, 10_000, D.server.uploadMaxFiles, 'BANTAY_UPLOAD_MAX_FILES', 'the most files in one upload'),
  }),
  tiles: section({
    dir: path('BANTAY_TILES_DIR', 'a folder of .pmtiles and .mbtiles base layers for the map (each with an optional NAME.json: name, attribution)'),
    mbtilesMaxMb: count(
      1,
      65_536,
      D.tiles.mbtilesMaxMb,
      'BANTAY_MBTILES_MAX_MB',
      'the largest .mbtiles file loaded into memory, in MB (larger: convert it to .pmtiles)',
    ),
    url: url('^https?://', 'BANTAY_TILE_URL', "a tile server on the agency's network, e.g. http://tiles.local/{z}/{x}/{y}.png"),
    attribution: path('BANTAY_TILE_ATTRIBUTION', "the credit the tile server's imagery licence asks for (required with tiles.url)"),
  }),
  worker: section({
    roles: {
      type: 'array',
      items: { enum: WORKER_ROLE_NAMES },
      default: D.worker.roles,
      env: 'BANTAY_WORKER_ROLES',
      description: `kinds of job a worker takes: ${WORKER_ROLE_NAMES.join(', ')} (comma-separated; empty: all)`,
    },
    concurrency: count(1, 64, D.worker.concurrency, 'BANTAY_WORKER_CONCURRENCY', 'jobs a worker process runs at once'),
    staleAfterSeconds: count(
      10,
      86_400,
      D.worker.staleAfterSeconds,
      'BANTAY_WORKER_STALE_AFTER',
      'a running job whose worker was silent this long (seconds) is retried',
    ),
  }),
  cache: section({
    queueCountSeconds: seconds(
      D.cache.queueCountSeconds,
      'BANTAY_QUEUE_COUNT_SECONDS',
      'a queue total is served from memory this long before it is counted again (a slow count waits longer)',
    ),
    queueSettingSeconds: seconds(
      D.cache.queueSettingSeconds,
      'BANTAY_QUEUE_SETTING_SECONDS',
      'a change of the open-queue setting made by another process is seen within this long',
    ),
  }),
  triage: section({
    threadFrom: count(
      1,
      1_000_000_000,
      D.triage.threadFrom,
      'BANTAY_SCORE_THREAD_FROM',
      'a full re-score of at least this many reports runs the rules on a worker thread',
    ),
  }),
  ingest: section({
    maxTextBytes: count(
      1024,
      1024 ** 3,
      I.maxTextBytes,
      'BANTAY_INGEST_MAX_TEXT_BYTES',
      'the longest text value (characters); a report holding a longer one is set aside',
    ),
    maxReportBytes: count(1024, 1024 ** 3, I.maxReportBytes, 'BANTAY_INGEST_MAX_REPORT_BYTES', 'the largest report (characters); a larger one is set aside'),
    maxDepth: count(8, 10_000, I.maxDepth, 'BANTAY_INGEST_MAX_DEPTH', 'the deepest nesting of elements or values'),
    maxAttributes: count(1, 100_000, I.maxAttributes, 'BANTAY_INGEST_MAX_ATTRIBUTES', 'the most attributes on one XML element'),
    maxEntryBytes: count(1024, 1024 ** 4, I.maxEntryBytes, 'BANTAY_INGEST_MAX_ENTRY_BYTES', 'the largest uncompressed zip entry'),
    maxCompressionRatio: count(
      2,
      1_000_000,
      I.maxCompressionRatio,
      'BANTAY_INGEST_MAX_COMPRESSION_RATIO',
      'the highest uncompressed/compressed ratio of a zip entry (a zip bomb beyond it)',
    ),
    ratioCheckAboveBytes: count(
      1,
      1024 ** 4,
      I.ratioCheckAboveBytes,
      'BANTAY_INGEST_RATIO_CHECK_ABOVE_BYTES',
      'the compression ratio is checked for zip entries larger than this',
    ),
    maxElements: count(
      100,
      1_000_000_000,
      I.maxElements,
      'BANTAY_INGEST_MAX_ELEMENTS',
      'the most elements (XML) or values (LE JSON) in one report; a larger one is set aside',
    ),
    maxFileElements: count(
      100,
      10_000_000_000,
      I.maxFileElements,
      'BANTAY_INGEST_MAX_FILE_ELEMENTS',
      'the most elements or values in one file; reading stops there and what was read is kept',
    ),
    maxRejectsPerFile: count(
      1,
      1_000_000,
      I.maxRejectsPerFile,
      'BANTAY_INGEST_MAX_REJECTS_PER_FILE',
      'quarantine entries one file records one by one (the rest are counted in one entry)',
    ),
    maxFileSeconds: count(
      1,
      864_000,
      I.maxFileSeconds,
      'BANTAY_INGEST_MAX_FILE_SECONDS',
      'the longest time spent reading one file (seconds); reading stops there and what was read is kept',
    ),
  }),
  secrets: section({
    // Its default follows the XDG convention: $XDG_CONFIG_HOME/bantay, else ~/.config/bantay (src/config/load.ts).
    dir: { type: 'string', minLength: 1, filled: true, description: 'the folder of the key files below when they are not named' },
    auditKey: secret('BANTAY_AUDIT_KEY', 'the audit key itself (64 hex digits), e.g. from a secret store; environment only'),
    auditKeyFile: path('BANTAY_AUDIT_KEY_FILE', 'the file holding the audit key (default secrets.dir/audit.key, created on first use)'),
    deconflictKey: secret('BANTAY_DECONFLICT_KEY', 'the shared deconfliction key itself; environment only'),
    deconflictKeyFile: path('BANTAY_DECONFLICT_KEY_FILE', 'the file holding the shared deconfliction key (default secrets.dir/deconflict.key)'),
    deconflictSigningKey: secret('BANTAY_DECONFLICT_SIGNING_KEY', "this agency's deconfliction signing key itself; environment only"),
    deconflictSigningKeyFile: path(
      'BANTAY_DECONFLICT_SIGNING_KEY_FILE',
      'the file holding the signing key (default secrets.dir/deconflict-signing.key, created by `bantay deconflict identity`)',
    ),
  }),
});

// The type of a leaf's value, and of a section: a leaf with a default (or filled) is always there.
type ValueOf<L> = L extends { type: 'integer' | 'number' }
  ? number
  : L extends { type: 'boolean' }
    ? boolean
    : L extends { type: 'array'; items: { enum: readonly (infer E)[] } }
      ? E[]
      : L extends { type: 'array' }
        ? string[]
        : string;
type Present<L> = L extends { default: unknown } ? true : L extends { filled: true } ? true : false;
type SectionOf<P> = { [K in keyof P as Present<P[K]> extends true ? K : never]: ValueOf<P[K]> } & {
  [K in keyof P as Present<P[K]> extends true ? never : K]?: ValueOf<P[K]>;
};
type Sections<S> = S extends { properties: infer P } ? { [K in keyof P]: P[K] extends { properties: infer Q } ? Readonly<SectionOf<Q>> : never } : never;

/** The configuration, validated. */
export type Config = Readonly<Sections<typeof ConfigSchema>>;
/** The database settings (the choice between the embedded database and a server, and pool sizes). */
export type DatabaseSettings = Config['database'];
/** Where the secrets kept outside the database come from. */
export type SecretSettings = Config['secrets'];

/** One setting as documented: its key in the file, its variable, its default, what it means. */
export interface Setting {
  key: string;
  env?: string;
  default?: unknown;
  description: string;
  secret: boolean;
  type: string;
}

interface Annotated {
  type?: string;
  properties?: Record<string, Annotated>;
  env?: string;
  default?: unknown;
  description?: string;
  secret?: boolean;
}

/** Every setting (the schema's leaves), in the schema's order. */
export function settings(schema: Annotated = ConfigSchema, prefix = ''): Setting[] {
  const s = schema as Annotated;
  if (s.type === 'object' && s.properties) return Object.entries(s.properties).flatMap(([k, v]) => settings(v, prefix ? `${prefix}.${k}` : k));
  return [
    {
      key: prefix,
      ...(s.env ? { env: s.env } : {}),
      ...('default' in s ? { default: s.default } : {}),
      description: s.description ?? '',
      secret: s.secret === true,
      type: s.type ?? 'string',
    },
  ];
}
