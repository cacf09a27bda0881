// The layering rules of the house (../shared/docs/architecture.md, docs/architecture-notes.md),
// checked by dependency-cruiser in `npm run lint` (scripts/lint.ts, which also holds the list of
// exceptions, each with its reason). Type-only imports count: a type from a later layer is a
// dependency on it all the same. Tests (*.test.ts) sit beside the files they test but may reach
// across stages, like test/, so they are not cruised.

// The stages, left to right: a stage imports model, store, runtime and the stages to its left.
// The order is the pipeline's (src/store/pending.ts STAGE_ORDER) with architecture.md's flow.
// enrich comes first: it holds the pure normalisers (phones, e-mails, IPs, places) that ingest and
// every later stage share, and touches no table. deconflict (other agencies' marks) runs after the
// link stage it reads keys from; payments before triage, which reads its flags through
// payment_subject_flags; export and geo read every stage's output.
const STAGES = ['enrich', 'ingest', 'hashes', 'link', 'deconflict', 'payments', 'triage', 'children', 'trends', 'export', 'geo'];

// Above the stages and below api/cli: orchestration (pipeline, jobs, demo), the analysts' case work,
// statistics, the evaluation against a generator's truth, and the generator itself.
const SERVICES = ['pipeline', 'jobs', 'cases', 'stats', 'evaluate', 'demo', 'synth'];

// config (every setting, read once at start-up) sits beside model at the bottom: anything may read it.
const BASE = ['config', 'model', 'store', 'runtime'];
const TOP = ['api', 'cli'];

const folders = (names) => `^src/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const rules = [
  {
    name: 'model-imports-nothing',
    comment: 'src/model holds the shared types and pure helpers; it imports nothing of ours.',
    severity: 'error',
    from: { path: '^src/model/' },
    to: { path: '^(src|web)/', pathNot: '^src/model/' },
  },
  {
    name: 'config-imports-nothing',
    comment: 'src/config holds the settings, their schema and their loading; it imports nothing of ours.',
    severity: 'error',
    from: { path: '^src/config/' },
    to: { path: '^(src|web)/', pathNot: '^src/config/' },
  },
  {
    name: 'store-imports-model',
    comment: 'src/store imports only src/model and src/config (and itself).',
    severity: 'error',
    from: { path: '^src/store/' },
    to: { path: '^(src|web)/', pathNot: folders(['config', 'model', 'store']) },
  },
  {
    name: 'runtime-imports-store',
    comment: 'src/runtime (the stage runtime and worker start) imports only config, model and store.',
    severity: 'error',
    from: { path: '^src/runtime/' },
    to: { path: '^(src|web)/', pathNot: folders(BASE) },
  },
  ...STAGES.map((stage, i) => ({
    name: `stage-${stage}`,
    comment: `src/${stage} imports model, store, runtime${i > 0 ? ` and the stages to its left (${STAGES.slice(0, i).join(', ')})` : ''}; never a later stage, a service, api or cli.`,
    severity: 'error',
    from: { path: `^src/${stage}/` },
    to: { path: '^(src|web)/', pathNot: folders([...BASE, ...STAGES.slice(0, i + 1)]) },
  })),
  {
    name: 'services-below-api',
    comment: `${SERVICES.join(', ')} sit above the stages and below api and cli.`,
    severity: 'error',
    from: { path: folders(SERVICES) },
    to: { path: [folders(TOP), '^web/'] },
  },
  {
    name: 'api-below-cli',
    comment: 'src/api never imports the command line.',
    severity: 'error',
    from: { path: '^src/api/' },
    to: { path: ['^src/cli/', '^web/'] },
  },
  {
    name: 'src-not-web',
    comment: 'The server never imports the browser app.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^web/' },
  },
  {
    name: 'web-types-only',
    comment: 'The browser app takes only types from src/ (the shapes the API returns) and src/model; no server code in the bundle.',
    severity: 'error',
    from: { path: '^web/' },
    to: { path: '^src/', pathNot: '^src/model/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'no-circular',
    comment:
      'No import cycles (type-only imports count): a module and what it imports form a tree. Types both sides need go to the parent (as src/ingest/parallel.ts holds its worker messages) or to a small module both import.',
    severity: 'error',
    from: { path: '^(src|web)/' },
    to: { circular: true },
  },
  {
    name: 'folder-has-a-layer',
    comment: 'Every folder of src/ has a place in the layers above: add a new one to STAGES or SERVICES in .dependency-cruiser.mjs.',
    severity: 'error',
    from: { path: '^src/', pathNot: folders([...BASE, ...STAGES, ...SERVICES, ...TOP]) },
    to: {},
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: rules,
  options: {
    exclude: { path: ['\\.test\\.tsx?$', '(^|/)node_modules/'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
