// The web app end to end on the server backend (the flow is in flow.ts).
import { webAppSuite } from './flow.ts';

await webAppSuite('server');
