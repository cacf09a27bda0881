// Runs one ingest on the built code (dist/, as `npx bantay` runs it) in its own process, so that
// its peak RSS is measured alone and without the TypeScript loader.
import { openStore } from '../dist/store/database.js';
import { ingestPaths } from '../dist/ingest/run.js';

const [durability, dataDir, ...paths] = process.argv.slice(2);
if (!dataDir || paths.length === 0 || !['full', 'relaxed'].includes(durability)) throw new Error('usage: ingest-child.mjs full|relaxed DATA_DIR PATH...');
const store = await openStore({ backend: 'embedded', dataDir }, { durability });
const summary = await ingestPaths(store, paths);
await store.close();
process.stdout.write(`${JSON.stringify({ summary, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
