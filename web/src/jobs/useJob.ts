// Following jobs from the page: the server answers long work with a job id (HTTP 202); these hooks
// poll GET /api/jobs/:id, or the list, while anything is unfinished.
import { useEffect, useState } from 'react';
import { ApiError, get } from '../api/client.ts';
import type { Job } from '../api/types.ts';

/** True once a job will change no more. */
export function isFinished(job: Pick<Job, 'state'>): boolean {
  return job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled';
}

const asApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError(0, 'CLIENT', e instanceof Error ? e.message : String(e)));

/**
 * Polls one job every `pollMs` until it finishes; keeps the last state seen. A lost connection
 * keeps polling (the job goes on in the server); a job that is gone (404) or a lost session stops.
 */
export function useJob(jobId: string | undefined, pollMs = 1000): { job: Job | undefined; error: ApiError | undefined } {
  const [job, setJob] = useState<Job | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    if (!jobId) return undefined;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const j = await get<Job>(`/jobs/${encodeURIComponent(jobId)}`);
        if (!live) return;
        setJob(j);
        setError(undefined);
        if (isFinished(j)) return;
      } catch (e) {
        if (!live) return;
        const err = asApiError(e);
        setError(err);
        if (err.status === 404 || err.status === 401 || err.status === 403) return;
      }
      timer = setTimeout(() => {
        void poll();
      }, pollMs);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, pollMs]);
  return { job, error };
}
