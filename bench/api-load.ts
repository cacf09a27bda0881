// Worker thread of `npm run bench:api`: the HTTP clients, on their own event loop, so that the
// server's thread measures serving requests rather than also making them (as browsers elsewhere would).
import { parentPort, workerData } from 'node:worker_threads';

/** What the load worker is asked to do. */
export interface LoadRequest {
  base: string;
  cookie: string;
  /** URLs to request, cycled through (made up front so that choosing one costs nothing). */
  urls: string[];
  clients: number;
  seconds: number;
}

/** Latencies in ms, and how many answers were not 200. */
export interface LoadResult {
  latencies: number[];
  errors: number;
  seconds: number;
}

const req = workerData as LoadRequest;
const latencies: number[] = [];
let errors = 0;
let next = 0;
const t0 = performance.now();
const end = t0 + req.seconds * 1000;
await Promise.all(
  Array.from({ length: req.clients }, async () => {
    while (performance.now() < end) {
      const url = req.urls[next++ % req.urls.length]!;
      const s = performance.now();
      const r = await fetch(req.base + url, { headers: { cookie: req.cookie } });
      await r.arrayBuffer();
      if (r.status !== 200) errors++;
      latencies.push(performance.now() - s);
    }
  }),
);
parentPort!.postMessage({ latencies, errors, seconds: (performance.now() - t0) / 1000 } satisfies LoadResult);
