// Reads the configuration once at start-up: the defaults, then an optional JSON file
// (`--config FILE`, else $BANTAY_CONFIG, else ./bantay.config.json when it exists), then the
// environment, each over the one before; then checks the whole against the schema and refuses it
// with every bad setting named, where it was set and its value.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Errors } from 'typebox/schema';
import { ConfigError } from './error.ts';
import { ConfigSchema, settings, type Config, type Setting } from './settings.ts';

/** Where the configuration is read from. */
export interface ConfigSources {
  /** The environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** A configuration file named on the command line (--config). */
  file?: string;
  /** The folder where bantay.config.json is looked for (default the working folder). */
  cwd?: string;
}

/** The file read when neither --config nor BANTAY_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = 'bantay.config.json';

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function setAt(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  let t = tree;
  for (const p of parts.slice(0, -1)) t = isTree(t[p]) ? (t[p] as Tree) : (t[p] = {});
  t[parts[parts.length - 1]!] = value;
}

function getAt(tree: unknown, parts: string[]): unknown {
  return parts.reduce<unknown>((t, p) => (isTree(t) ? t[p] : Array.isArray(t) ? t[Number(p)] : undefined), tree);
}

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: readonly unknown[];
}

// The values a setting (or an item of a list setting) may take, when the schema lists them.
function choicesAt(parts: string[]): readonly unknown[] | undefined {
  let node: SchemaNode | undefined = ConfigSchema;
  for (const p of parts) node = /^\d+$/.test(p) ? node?.items : node?.properties?.[p];
  return node?.enum;
}

// An environment variable is text: numbers, switches and lists are read from it here; anything
// unreadable is kept as text so that the schema refuses it with its value.
function fromEnv(s: Setting, text: string): unknown {
  if (s.type === 'integer' || s.type === 'number') return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  if (s.type === 'boolean') return /^(true|1|yes|on)$/i.test(text) ? true : /^(false|0|no|off)$/i.test(text) ? false : text;
  if (s.type === 'array')
    return text
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  return text;
}

// The file's values over the defaults, remembering which leaf each came from; a section given as
// something else than an object replaces the section, so that the schema says so.
function mergeFile(into: Tree, from: Tree, where: string, sources: Map<string, string>, prefix = ''): void {
  for (const [k, v] of Object.entries(from)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isTree(v) && isTree(into[k])) mergeFile(into[k] as Tree, v, where, sources, key);
    else {
      into[k] = v;
      sources.set(key, where);
    }
  }
}

function readFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the configuration file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the configuration file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isTree(parsed)) throw new ConfigError(`the configuration file ${file} must hold a JSON object (e.g. {"server": {"port": 8080}})`);
  return parsed;
}

/** The configuration file to read, if any: the one named, else $BANTAY_CONFIG, else ./bantay.config.json when it exists. */
export function configFile(sources: ConfigSources = {}): string | undefined {
  const env = sources.env ?? process.env;
  const named = sources.file ?? (env.BANTAY_CONFIG || undefined);
  if (named) return resolve(sources.cwd ?? process.cwd(), named);
  const here = join(sources.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  return existsSync(here) ? here : undefined;
}

/** Reads and checks the configuration; throws a ConfigError naming every bad setting. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const all = settings();
  const tree: Tree = {};
  const where = new Map<string, string>();
  for (const s of all) {
    const section = s.key.split('.')[0]!;
    tree[section] ??= {};
    if (s.default !== undefined) setAt(tree, s.key, structuredClone(s.default));
  }
  setAt(tree, 'secrets.dir', join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'bantay'));

  const file = configFile(sources);
  const problems: string[] = [];
  if (file) {
    const given = readFile(file);
    for (const s of all) {
      // A key written in a file travels with it (copies, backups, version control): keys come from the environment or a key file.
      if (s.secret && getAt(given, s.key.split('.')) !== undefined)
        problems.push(`${file}: ${s.key} is a secret and is never read from the configuration file; set ${s.env} or name a key file (${s.key}File)`);
    }
    mergeFile(tree, given, file, where);
  }
  for (const s of all) {
    const text = s.env ? env[s.env] : undefined;
    // An empty variable is unset (a caller clears an inherited DATABASE_URL that way).
    if (text === undefined || text === '') continue;
    setAt(tree, s.key, fromEnv(s, text));
    where.set(s.key, s.env!);
  }

  const [ok, errors] = Errors(ConfigSchema, tree);
  if (!ok || problems.length > 0) {
    const secretKeys = new Set(all.filter((s) => s.secret).map((s) => s.key));
    for (const e of errors) {
      const parts = e.instancePath.split('/').filter(Boolean);
      const key = parts.join('.');
      const origin = (k: string): string => {
        for (let p = k.split('.'); p.length > 0; p = p.slice(0, -1)) {
          const w = where.get(p.join('.'));
          if (w) return w;
        }
        return file ?? 'the defaults';
      };
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
        for (const x of extra)
          problems.push(`${origin(key ? `${key}.${x}` : x)}: unknown setting ${key ? `${key}.${x}` : x} (docs/configuration.md lists them)`);
        continue;
      }
      if (e.keyword === 'boolean') continue; // the same unknown setting, said again by its false schema
      const choices = choicesAt(parts);
      const message = choices ? `must be one of ${choices.join(', ')}` : e.message;
      const value = secretKeys.has(key) ? '(hidden)' : JSON.stringify(getAt(tree, parts));
      const at = origin(key);
      problems.push(all.some((s) => s.env === at) ? `${at} (${key}) is ${value}: ${message}` : `${at}: ${key} is ${value}: ${message}`);
    }
    throw new ConfigError(`bad configuration:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  return deepFreeze(tree) as Config;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
