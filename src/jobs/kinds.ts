// The kinds of job and the worker roles that group them, apart from the tasks so that the command
// line can name them without loading every stage.

/** The kinds of job. */
export const JOB_KINDS = ['process', 'rescore', 'ingest', 'export-queue'] as const;

/** A kind of job. */
export type JobKind = (typeof JOB_KINDS)[number];

/** Groups of job kinds a worker can be told to take (`bantay worker --roles`). */
export const WORKER_ROLES = { stages: ['process', 'rescore'], ingest: ['ingest'], exports: ['export-queue'] } as const satisfies Record<string, readonly JobKind[]>;

/** A worker role. */
export type WorkerRole = keyof typeof WORKER_ROLES;
