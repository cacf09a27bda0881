// The web app end to end on the embedded backend (the flow is in flow.ts).
import { webAppSuite } from './flow.ts';

await webAppSuite('embedded');
