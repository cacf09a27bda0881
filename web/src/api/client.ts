// The one place the app talks to the server: same origin only, cookie session, CSRF header on writes.

/** An error the API returned, with its stable code. */
export class ApiError extends Error {
  /** The error's other fields (e.g. `items` of CONFIRM_REQUIRED). */
  readonly details: Record<string, unknown>;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.details = details;
  }
}

/** The ApiError an error body stands for (`{error: {code, message, …}}`), or one made of the HTTP status. */
function errorOf(status: number, statusText: string, data: unknown): ApiError {
  const e = (data as { error?: { code?: string; message?: string } & Record<string, unknown> } | undefined)?.error;
  const { code, message, ...details } = e ?? {};
  return new ApiError(status, code ?? `HTTP_${status}`, message ?? statusText, details);
}

let csrfToken = '';
let onSessionLost: (() => void) | undefined;

/** Called when the server says the session is gone (expired or signed out elsewhere), so the app can show the sign-in page. */
export function setSessionLostHandler(fn: (() => void) | undefined): void {
  onSessionLost = fn;
}

/** Remembers the CSRF token the server handed out at login or `/auth/me`. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `/api/path?query`, leaving out empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/')) onSessionLost?.();
    throw errorOf(res.status, res.statusText, data);
  }
  return data as T;
}

/** GET a JSON document. */
export function get<T>(path: string, query?: Query): Promise<T> {
  return request<T>('GET', path, undefined, query);
}

/** POST a JSON body. */
export function post<T>(path: string, body: unknown = {}): Promise<T> {
  return request<T>('POST', path, body);
}

/** PUT a JSON body. */
export function put<T>(path: string, body: unknown = {}): Promise<T> {
  return request<T>('PUT', path, body);
}

/** PATCH a JSON body. */
export function patch<T>(path: string, body: unknown = {}): Promise<T> {
  return request<T>('PATCH', path, body);
}

/** DELETE a resource. */
export function del<T>(path: string): Promise<T> {
  return request<T>('DELETE', path);
}

/**
 * POSTs a multipart form (file uploads). `onProgress` hears the bytes sent so far and the total
 * (XMLHttpRequest: fetch cannot report an upload's progress).
 */
export function upload<T>(path: string, form: FormData, onProgress?: (sent: number, total: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path));
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    if (onProgress)
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded, e.total);
      };
    // A server that refuses a large body early may close the connection before answering.
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload did not reach the server, or the server closed the connection'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'the upload was stopped'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      if (xhr.status === 401) onSessionLost?.();
      reject(errorOf(xhr.status, xhr.statusText, data));
    };
    xhr.send(form);
  });
}

/** POST a JSON body and receive a file (a ZIP package): its bytes and the name the server gave it. */
export async function postForFile(path: string, body: unknown): Promise<{ blob: Blob; filename: string }> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    const data: unknown = await res.json().catch(() => undefined);
    if (res.status === 401) onSessionLost?.();
    throw errorOf(res.status, res.statusText, data);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  return { blob: await res.blob(), filename: name };
}

/** The answer of a route that queued long work (HTTP 202). */
export interface Accepted {
  jobId: string;
  state: string;
}

/** Polls a job until it finishes: resolves with its result, rejects with the job's error when it failed. */
export async function waitForJob<T = unknown>(jobId: string, pollMs = 1000): Promise<T> {
  for (;;) {
    const job = await get<{ state: string; result: T; error: string | null }>(`/jobs/${encodeURIComponent(jobId)}`);
    if (job.state === 'completed') return job.result;
    if (job.state === 'failed' || job.state === 'cancelled') throw new ApiError(500, 'JOB_FAILED', job.error ?? `the job was ${job.state}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** POSTs to a route that queues a job, then waits for the job (the Jobs page shows it meanwhile). */
export async function postAndWait<T = unknown>(path: string, body: unknown = {}): Promise<T> {
  const accepted = await post<Accepted>(path, body);
  return waitForJob<T>(accepted.jobId);
}
