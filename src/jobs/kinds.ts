// The kinds of job and the worker roles that group them, apart from the tasks so that the command
// line can name them without loading every stage.
import type { WORKER_ROLE_NAMES } from '../config/defaults.ts';

// The role names are settings (worker.roles); each maps to its kinds here.
type WorkerRoleName = (typeof WORKER_ROLE_NAMES)[number];

/** The kinds of job. */
export const JOB_KINDS = ['process', 'rescore', 'ingest', 'export-queue'] as const;

/** A kind of job. */
export type JobKind = (typeof JOB_KINDS)[number];

/** Groups of job kinds a worker can be told to take (`bantay worker --roles`). */
export const WORKER_ROLES = { stages: ['process', 'rescore'], ingest: ['ingest'], exports: ['export-queue'] } as const satisfies Record<
  WorkerRoleName,
  readonly JobKind[]
>;

/** A worker role. */
export type WorkerRole = keyof typeof WORKER_ROLES;
