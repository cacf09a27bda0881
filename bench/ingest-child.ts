// Runs one ingest in its own process so that its peak RSS is measured alone.
import { openStore } from '../src/store/database.ts';
import { ingestPaths } from '../src/ingest/run.ts';

const [dataDir, ...paths] = process.argv.slice(2);
if (!dataDir || paths.length === 0) throw new Error('usage: ingest-child DATA_DIR PATH...');
const store = await openStore({ backend: 'embedded', dataDir });
const summary = await ingestPaths(store, paths);
await store.close();
process.stdout.write(`${JSON.stringify({ summary, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
