// The message catalogues: Filipino has every English key (plural forms included), the placeholders
// agree, and every key the app asks for by name exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/shared.ts';
import { DEFAULT_RULESET, ruleTextKey } from '../../src/triage/default-rules.ts';
import { REPORT_FEATURES } from '../../src/triage/features.ts';

type Tree = { [k: string]: string | Tree };

function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const read = (file: string): Tree => JSON.parse(readFileSync(join(repoRoot, 'web', 'src', 'locales', file), 'utf8')) as Tree;
// The app's catalogue is the page texts and the rule texts together (web/src/i18n/index.ts).
const load = (code: string): Map<string, string> => flatten({ ...read(`${code}.json`), ...read(`rules.${code}.json`) });
const en = load('en');
const fil = load('fil');
const placeholders = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();

test('English and Filipino have the same keys', () => {
  assert.deepEqual(
    [...fil.keys()].filter((k) => !en.has(k)),
    [],
    'keys only in fil.json',
  );
  assert.deepEqual(
    [...en.keys()].filter((k) => !fil.has(k)),
    [],
    'keys missing from fil.json',
  );
});

test('translations keep their placeholders', () => {
  const bad = [...en].filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(fil.get(k) ?? v))).map(([k]) => k);
  assert.deepEqual(bad, []);
});

test('every key the code names exists (plain or with plural forms)', () => {
  const used = new Set<string>();
  for (const file of sources(join(repoRoot, 'web', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z0-9_.]+)'/g)) used.add(m[1]!);
  }
  assert.ok(used.size > 100, `found ${used.size} keys`);
  const missing = [...used].filter((k) => !en.has(k) && !en.has(`${k}_one`) && !en.has(`${k}_other`));
  assert.deepEqual(missing, []);
});

test('every value the app looks up by prefix has a message', () => {
  const need: Record<string, string[]> = {
    tier: ['immediate', 'high', 'standard', 'low', 'noise', 'paused'],
    status: ['new', 'in_review', 'escalated', 'referred', 'closed', 'open', 'all'],
    closeReason: ['no_action', 'duplicate', 'insufficient_information', 'referred_to_other_agency', 'no_nexus'],
    role: ['analyst', 'supervisor', 'admin', 'auditor'],
    keys: ['down', 'up', 'open', 'next', 'assign', 'close', 'select', 'batch', 'filter', 'help', 'first', 'last', 'pageNext', 'pagePrev'],
  };
  const missing = Object.entries(need)
    .flatMap(([p, ks]) => ks.map((k) => `${p}.${k}`))
    .filter((k) => !en.has(k));
  assert.deepEqual(missing, []);
});

test("every shipped rule has its text in both languages, and the English is the rule's own description", () => {
  const rules = new Map(DEFAULT_RULESET.rules.map((r) => [r.id, r.description]));
  const stale = [...rules].filter(([id, d]) => en.get(`rule.${id}`) !== d).map(([id]) => id);
  assert.deepEqual(stale, [], 'rules.en.json differs from src/triage/default-rules.ts');
  assert.deepEqual(
    [...rules.keys()].filter((id) => !fil.has(`rule.${id}`)),
    [],
    'rules without Filipino text',
  );
  const features = Object.keys(REPORT_FEATURES).map((f) => `feature.${f.replace(/\./g, '_')}`);
  assert.deepEqual(
    features.filter((k) => !en.has(k) || !fil.has(k)),
    [],
    'features without a label',
  );
});

test("a shipped rule carries its catalogue key; an agency's own wording shows as written", () => {
  const r = DEFAULT_RULESET.rules[0]!;
  assert.equal(ruleTextKey(r), `rule.${r.id}`);
  assert.equal(ruleTextKey({ ...r, description: 'Our own wording.' }), null);
  assert.equal(ruleTextKey({ id: 'agency-rule', description: 'x', textKey: 'rule.agency-rule' }), 'rule.agency-rule');
});
