// Runs the bantay CLI from source in its own process (for benches that drive a command by name
// and must not hold the embedded database's lock themselves).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv);
