// Case work in the web app on the embedded backend (the suite is in casework.ts).
import { caseWorkSuite } from './casework.ts';

await caseWorkSuite('embedded');
