// `npm run lint`: the rules of the house (../shared/docs/architecture.md) checked on a project's
// `src/` and `web/src/`. Two checks, both must pass:
// - layering, by dependency-cruiser with the rules in .dependency-cruiser.mjs (which layer may
//   import which; type-only imports count);
// - SQL in src/store/ only, on the syntax tree (TypeScript's parser): a Kysely `sql` template or
//   helper, a query builder's entry point, a raw compiled query or a query run outside
//   `src/store/` is reported with its place. Tests (*.test.ts) may read the database as they like;
// - no `xs.push(...ys)` in src/ but of an array literal: each element becomes an argument, and past
//   about 100,000 of them (a query's rows at 100,000 reports) the call overflows the stack.
// Usage: `node --import tsx scripts/lint.ts [project root]` (default: this repository);
// test/lint.test.ts runs it on the trees under test/fixtures/lint/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(REPO, '.dependency-cruiser.mjs');

/** An import allowed through in spite of a layering rule: both files relative to the project root. */
export interface LayerException {
  from: string;
  to: string;
  why: string;
}

/**
 * Imports allowed through in spite of a layering rule, each with the reason. Keep it empty: move
 * the code (a shared pure helper to where both may import it, or pass through a table) instead.
 */
export const LAYER_EXCEPTIONS: readonly LayerException[] = [];

/** The layering violations of a project (less the listed exceptions). */
export async function lintLayers(root: string, exceptions: readonly LayerException[] = LAYER_EXCEPTIONS): Promise<IViolation[]> {
  const dirs = ['src', 'web/src'].filter((d) => existsSync(join(root, d)));
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(dirs, { ...options, baseDir: root });
  const output = result.output as ICruiseResult;
  return output.summary.violations.filter((v) => !exceptions.some((e) => e.from === v.from && e.to === v.to));
}

/**
 * Files allowed to hold SQL outside src/store/, each with the reason. Keep it empty: move the SQL
 * into a store module instead. A path is relative to the project root, with forward slashes.
 */
export const SQL_EXCEPTIONS: Readonly<Record<string, string>> = {};

// Kysely's ways into SQL text or a query: the entry points of its builders and its raw query runners.
const BUILDER_CALLS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'selectNoFrom', 'executeQuery']);
// A query's run; `db.transaction().execute(fn)` and `db.connection().execute(fn)` open a scope and run no SQL of their own.
const RUN_CALLS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow']);
const SCOPES = new Set(['transaction', 'connection', 'setIsolationLevel', 'setAccessMode']);
// Names that bring SQL text in from Kysely.
const SQL_IMPORTS = new Set(['sql', 'CompiledQuery']);

/** One place where SQL appears outside the store. */
export interface SqlFinding {
  file: string;
  line: number;
  what: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

// Whether a run call's receiver needs its own finding: not a transaction or connection scope, and
// not a chain already reported at its builder or template (one finding per query).
function isBareQuery(receiver: ts.Expression): boolean {
  let e = receiver;
  for (;;) {
    if (ts.isTaggedTemplateExpression(e)) return !(ts.isIdentifier(e.tag) && e.tag.text === 'sql');
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const name = e.expression.name.text;
      if (SCOPES.has(name) || BUILDER_CALLS.has(name)) return false;
      e = e.expression.expression;
    } else if (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return true;
  }
}

/** The SQL sites of one source text (its name only labels the findings). */
export function findSql(file: string, text: string): SqlFinding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: SqlFinding[] = [];
  const add = (node: ts.Node, what: string): void => {
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'kysely') {
      const named = node.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) {
          const name = (el.propertyName ?? el.name).text;
          if (SQL_IMPORTS.has(name) && !el.isTypeOnly && !node.importClause?.isTypeOnly) add(el, `import { ${name} } from 'kysely'`);
        }
      }
    } else if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql') {
      add(node, 'sql`…` template');
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && SQL_IMPORTS.has(node.expression.text)) {
      add(node, `${node.expression.text}.${node.name.text}`);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (BUILDER_CALLS.has(name)) add(node.expression.name, `.${name}(…)`);
      else if (RUN_CALLS.has(name) && isBareQuery(node.expression.expression)) add(node.expression.name, `.${name}(…) on a query`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.sort((a, b) => a.line - b.line);
}

/** Every SQL site under a project's src/ outside src/store/, less the listed exceptions. */
export function lintSql(root: string, exceptions: Readonly<Record<string, string>> = SQL_EXCEPTIONS): SqlFinding[] {
  const src = join(root, 'src');
  const store = join(src, 'store') + sep;
  const out: SqlFinding[] = [];
  for (const path of sourceFiles(src)) {
    if (path.startsWith(store)) continue;
    const file = relative(root, path).split(sep).join('/');
    if (file in exceptions) continue;
    out.push(...findSql(file, readFileSync(path, 'utf8')));
  }
  return out;
}

/** The `.push(...xs)` calls of one source text whose spread is not an array literal. */
export function findSpreadPush(file: string, text: string): SqlFinding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: SqlFinding[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'push' &&
      node.arguments.some((a) => ts.isSpreadElement(a) && !ts.isArrayLiteralExpression(a.expression))
    )
      found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what: '.push(...xs)' });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every `.push(...xs)` of a non-literal array under a project's src/. */
export function lintSpreadPush(root: string): SqlFinding[] {
  const src = join(root, 'src');
  return sourceFiles(src).flatMap((path) => findSpreadPush(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')));
}

function describe(v: IViolation): string {
  // A cycle is named whole: the module, then each import round back to it.
  const cycle = v.cycle?.length ? `; cycle ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')}` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${v.dependencyTypes?.includes('type-only') ? ' (type-only)' : ''}${cycle}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? REPO);
  const layers = await lintLayers(root);
  for (const v of layers) console.error(`layering  ${describe(v)}`);
  const sqlSites = lintSql(root);
  for (const f of sqlSites) console.error(`sql       ${f.file}:${f.line}  ${f.what}: SQL belongs in src/store/ (add a store function there and call it)`);
  const spreads = lintSpreadPush(root);
  for (const f of spreads)
    console.error(`spread    ${f.file}:${f.line}  ${f.what}: push each element in a loop (a spread of a large array overflows the stack)`);
  if (layers.length + sqlSites.length + spreads.length > 0) {
    console.error(
      `\n${layers.length} layering violation(s) (rules and reasons: .dependency-cruiser.mjs), ${sqlSites.length} SQL site(s) outside src/store/, ${spreads.length} spread push(es)`,
    );
    process.exit(1);
  }
  console.log('lint: the layers hold and no SQL is outside src/store/');
}
