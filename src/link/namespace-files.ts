// An agency's additions to the account-namespace table (docs/linking.md §1.1): a JSON file in the
// table's own shape, checked before it is stored (schema, then what a schema cannot say: patterns
// that compile with one named group, companies that exist), and compiled after the built-in
// table so that the agency's rows win. `bantay link namespaces import FILE`.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Store } from '../store/database.ts';
import { namespaceFileContents, putNamespaceFile } from '../store/account-namespaces.ts';
import { BUILT_IN_NAMESPACES } from './data/account-namespaces.ts';
import { NamespaceIndex } from './namespaces.ts';
import type { NamespaceTable } from './namespace-table.ts';
import { badInput } from '../model/error.ts';

const NAMESPACE_ID = '^[a-z0-9][a-z0-9-]*$';
const strings = { type: 'array', items: { type: 'string', minLength: 1 } };
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    products: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['names', 'ids', 'company'],
        properties: {
          names: { ...strings, minItems: 1 },
          ids: { type: 'string', pattern: NAMESPACE_ID },
          handles: { type: 'string', pattern: NAMESPACE_ID },
          fold: { type: 'array', items: { enum: ['case', 'dots'] } },
          idIsPhone: { type: 'boolean' },
          company: { type: 'string', pattern: NAMESPACE_ID },
          profiles: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['hosts', 'path'],
              properties: { hosts: { ...strings, minItems: 1 }, path: { type: 'string', minLength: 2 } },
            },
          },
          note: { type: 'string' },
          sources: strings,
        },
      },
    },
    companies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'names', 'domains'],
        properties: {
          id: { type: 'string', pattern: NAMESPACE_ID },
          names: strings,
          domains: strings,
          unknownProducts: { type: 'string', pattern: NAMESPACE_ID },
          note: { type: 'string' },
          sources: strings,
        },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** An agency's namespace file as checked: its name and its rows. */
export interface NamespaceFile extends NamespaceTable {
  name: string;
}

/** Checks a parsed namespace file; throws an Error listing every problem (path: problem) with the origin named. */
export function parseNamespaceFile(json: unknown, origin: string): NamespaceFile {
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA));
  const problems: string[] = validate(json) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
  const doc = (problems.length === 0 ? json : {}) as Partial<NamespaceFile>;
  const products = doc.products ?? [];
  const companies = doc.companies ?? [];
  const known = new Set([...BUILT_IN_NAMESPACES.companies, ...companies].map((c) => c.id));
  products.forEach((p, i) => {
    if (!known.has(p.company)) problems.push(`/products/${i}/company: "${p.company}" is neither a built-in company nor one of this file's companies`);
    (p.profiles ?? []).forEach((f, j) => {
      const where = `/products/${i}/profiles/${j}/path`;
      try {
        new RegExp(f.path);
      } catch (err) {
        problems.push(`${where}: not a regular expression (${err instanceof Error ? err.message : String(err)})`);
        return;
      }
      const groups = ['id', 'handle', 'phone'].filter((g) => f.path.includes(`(?<${g}>`));
      if (groups.length !== 1) problems.push(`${where}: needs exactly one named group (?<id>…), (?<handle>…) or (?<phone>…)`);
    });
  });
  if (problems.length === 0 && products.length === 0 && companies.length === 0) problems.push('/: the file has no products and no companies');
  if (problems.length > 0) throw badInput('BAD_FILE', `${origin} is not an account-namespace file:\n  ${problems.join('\n  ')}`);
  return { name: doc.name ?? basename(origin).replace(/\.json$/i, ''), products, companies };
}

/** Reads, checks and stores an agency's namespace file; what happened to it. */
export async function importNamespaceFile(
  store: Pick<Store, 'db'>,
  path: string,
): Promise<{ name: string; products: number; companies: number; outcome: 'added' | 'replaced' | 'unchanged' }> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badInput('BAD_FILE', `${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const file = parseNamespaceFile(json, path);
  const outcome = await putNamespaceFile(store.db, file.name, { products: file.products, companies: file.companies }, path);
  return { name: file.name, products: file.products.length, companies: file.companies.length, outcome };
}

/** The table a run uses: built in, then every imported file in name order. A stored file that no longer checks is skipped with a warning. */
export async function loadNamespaces(store: Pick<Store, 'db'>, warn: (message: string) => void = (m) => process.emitWarning(m)): Promise<NamespaceIndex> {
  const tables: NamespaceTable[] = [BUILT_IN_NAMESPACES];
  for (const { name, file } of await namespaceFileContents(store.db)) {
    try {
      tables.push(parseNamespaceFile({ name, ...(file as object) }, `stored namespace file "${name}"`));
    } catch (err) {
      warn(err instanceof Error ? err.message : String(err));
    }
  }
  return new NamespaceIndex(tables);
}

/** One row of the table as a run uses it, for listing. */
export interface NamespaceRow {
  /** `built-in` or the imported file's name. */
  source: string;
  names: string[];
  ids: string;
  handles: string;
  company: string;
}

/** The product rows of the table a run uses (built in, then each imported file), for `bantay link namespaces`. */
export async function describeNamespaces(store: Pick<Store, 'db'>): Promise<NamespaceRow[]> {
  const row =
    (source: string) =>
    (p: NamespaceTable['products'][number]): NamespaceRow => ({ source, names: p.names, ids: p.ids, handles: p.handles ?? p.ids, company: p.company });
  const out = BUILT_IN_NAMESPACES.products.map(row('built-in'));
  for (const { name, file } of await namespaceFileContents(store.db)) {
    try {
      for (const p of parseNamespaceFile({ name, ...(file as object) }, name).products) out.push(row(name)(p));
    } catch {
      // listed by loadNamespaces' warning when a run uses the table
    }
  }
  return out;
}
