// Runs one `bantay` command on the built code (dist/, as `npx bantay` runs it) in its own process,
// so that its peak RSS is measured alone and without the TypeScript loader; the peak goes to
// stderr as the last line (`@@maxrss MB`).
import { main } from '../dist/cli/main.js';

const code = await main(['node', 'bantay', ...process.argv.slice(2)]);
process.stderr.write(`\n@@maxrss ${process.resourceUsage().maxRSS / 1024}\n`);
process.exit(code);
