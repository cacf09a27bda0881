import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRuleset, rulesetProblems, validateRuleset, type FeatureCatalogue, type Ruleset } from './rule-engine.ts';
import { isBantayError } from './error.ts';

const CAT: FeatureCatalogue = {
  age: { type: 'number', description: 'age' },
  flag: { type: 'boolean', description: 'flag' },
  kind: { type: 'string', description: 'kind' },
  tags: { type: 'strings', description: 'tags' },
  text: { type: 'string', description: 'text' },
  n: { type: 'number', description: 'a count' },
  items: { type: 'list', description: 'linked', items: { id: { type: 'string', description: 'id' }, tags: { type: 'strings', description: 'tags' } } },
};

function ruleset(rules: Ruleset['rules']): Ruleset {
  return {
    name: 't',
    scores: { harm: { min: 0, max: 100 }, act: { min: 0, max: 50 } },
    combine: { harm: 1, act: 0.5 },
    tiers: [
      { name: 'TOP', min: 80 },
      { name: 'MID', min: 40 },
      { name: 'BOTTOM', min: 0 },
    ],
    rules,
  };
}

const rule = (id: string, when: Ruleset['rules'][number]['when'], effect: Ruleset['rules'][number]['effect']): Ruleset['rules'][number] => ({
  id,
  description: `rule ${id}`,
  source: 'test',
  when,
  effect,
});

describe('rules engine', () => {
  test('validation lists every problem with its path', () => {
    const bad = {
      name: '',
      scores: { harm: { min: 0, max: 100 } },
      combine: { harm: 1, other: 1 },
      tiers: [
        { name: 'A', min: 10 },
        { name: 'B', min: 20 },
      ],
      rules: [
        { id: 'x', description: 'd', source: 's', when: { feature: 'nope', op: '=', value: 1 }, effect: { add: 'harm', value: 1 } },
        { id: 'x', description: 'd', source: '', when: { feature: 'age', op: 'has', value: 1 }, effect: { add: 'fear', value: 1 } },
        { id: 'y', description: 'd', source: 's', when: { feature: 'text', op: 'matches', value: '(' }, effect: { floor: 'Z' } },
        { id: 'z', description: 'd', source: 's', when: { count: 'age', op: '>', value: 1 }, effect: { pause: true } },
      ],
    };
    const p = rulesetProblems(bad, CAT);
    const has = (s: string): void =>
      assert.ok(
        p.some((x) => x.includes(s)),
        `expected a problem mentioning ${s}:\n${p.join('\n')}`,
      );
    has('name:');
    has('combine.other: not a score');
    has('tiers[1]: min 20 must be below');
    has('unknown feature "nope"');
    has('duplicate rule id "x"');
    has('.source: required');
    has('"has" does not apply to number feature "age"');
    has('"fear" is not a score');
    has('not a regular expression');
    has('"Z" is not a tier');
    has('"age" is not a list feature');
    assert.throws(
      () => validateRuleset(bad, CAT),
      (err: unknown) => isBantayError(err, 'BAD_RULESET') && Array.isArray(err.details.problems),
    );
    assert.deepEqual(rulesetProblems(ruleset([]), CAT), []);
  });

  test('adds, clamps, combines and tiers; per and max scale an addition', () => {
    const c = compileRuleset(
      ruleset([
        rule('old', { feature: 'age', op: '>=', value: 10 }, { add: 'harm', value: 30 }),
        rule('many', { feature: 'n', op: '>', value: 0 }, { add: 'harm', value: 10, per: 'n', max: 25 }),
        rule('big', { feature: 'flag', op: 'true' }, { add: 'act', value: 500 }),
      ]),
      CAT,
    );
    const o = c.evaluate({ age: 12, n: 4, flag: true });
    assert.equal(o.scores.harm, 55);
    assert.equal(o.scores.act, 50); // clamped at max
    assert.equal(o.score, 80);
    assert.equal(o.tier, 'TOP');
    assert.deepEqual(
      o.fired.map((f) => [f.rule, f.contribution]),
      [
        ['old', 30],
        ['many', 25],
        ['big', 500],
      ],
    );
    const low = c.evaluate({ age: 9, n: 0, flag: false });
    assert.equal(low.tier, 'BOTTOM');
    assert.deepEqual(low.fired, []);
  });

  test('unknown features never satisfy a test; absent and not do', () => {
    const c = compileRuleset(
      ruleset([
        rule('lt', { feature: 'age', op: '<', value: 5 }, { add: 'harm', value: 10 }),
        rule('absent', { feature: 'age', op: 'absent' }, { add: 'harm', value: 1 }),
        rule('not-true', { not: { feature: 'flag', op: 'true' } }, { add: 'harm', value: 2 }),
      ]),
      CAT,
    );
    const o = c.evaluate({ age: null });
    assert.deepEqual(
      o.fired.map((f) => f.rule),
      ['absent', 'not-true'],
    );
  });

  test('a cap lowers, a floor raises and wins over a cap, a pause puts the item last', () => {
    const c = compileRuleset(
      ruleset([
        rule('hi', { feature: 'flag', op: 'true' }, { add: 'harm', value: 90 }),
        rule('cap', { feature: 'tags', op: 'has', value: 'meme' }, { cap: 'BOTTOM' }),
        rule('floor', { feature: 'tags', op: 'has', value: 'urgent' }, { floor: 'TOP' }),
        rule('pause', { feature: 'kind', op: '=', value: 'held' }, { pause: true }),
      ]),
      CAT,
    );
    const capped = c.evaluate({ flag: true, tags: ['meme'] });
    assert.equal(capped.tier, 'BOTTOM');
    assert.ok(capped.score < 40);
    const floored = c.evaluate({ flag: false, tags: ['meme', 'urgent'] });
    assert.equal(floored.tier, 'TOP');
    assert.equal(floored.score, 80);
    const paused = c.evaluate({ flag: true, kind: 'held' });
    assert.equal(paused.tier, 'PAUSED');
    assert.equal(paused.paused, true);
    assert.equal(paused.tierRank, 3);
    assert.deepEqual(c.tierNames, ['TOP', 'MID', 'BOTTOM', 'PAUSED']);
  });

  test('a floor marked first puts the item ahead of its tier; only on the highest tier, never when outweighed or paused', () => {
    const c = compileRuleset(
      ruleset([
        rule('hi', { feature: 'flag', op: 'true' }, { add: 'harm', value: 95 }),
        rule('rescued', { feature: 'kind', op: '=', value: 'rescued' }, { cap: 'MID' }),
        { ...rule('risk', { feature: 'tags', op: 'has', value: 'risk' }, { floor: 'TOP', first: true }), outweighedBy: ['rescued'] },
        rule('pause', { feature: 'kind', op: '=', value: 'held' }, { pause: true }),
      ]),
      CAT,
    );
    const risk = c.evaluate({ flag: false, tags: ['risk'] });
    assert.deepEqual([risk.tier, risk.score, risk.first], ['TOP', 80, true]);
    assert.equal(risk.fired.find((f) => f.rule === 'risk')?.effect, 'floor TOP, first');
    assert.equal(c.evaluate({ flag: true, tags: [] }).first, false);
    assert.equal(c.evaluate({ flag: false, tags: ['risk'], kind: 'rescued' }).first, false);
    assert.equal(c.evaluate({ flag: false, tags: ['risk'], kind: 'held' }).first, false);
    const problems = rulesetProblems(
      ruleset([
        rule('low', { feature: 'flag', op: 'true' }, { floor: 'MID', first: true }),
        rule('odd', { feature: 'flag', op: 'true' }, { floor: 'TOP', first: 'yes' } as unknown as Ruleset['rules'][number]['effect']),
      ]),
      CAT,
    );
    assert.deepEqual(problems, ['rules[0] (low).effect.first: only on a floor to the highest tier (TOP)', 'rules[1] (odd).effect.first: true or false']);
  });

  test('set membership, regular expressions and counts over lists, with evidence naming what was seen', () => {
    const c = compileRuleset(
      ruleset([
        rule('kind', { feature: 'kind', op: 'in', value: ['a', 'b'] }, { add: 'harm', value: 1 }),
        rule('tags', { feature: 'tags', op: 'hasAny', value: ['x', 'y'] }, { add: 'harm', value: 1 }),
        rule('text', { feature: 'text', op: 'matches', value: '\\bgcash\\b' }, { add: 'harm', value: 1 }),
        rule('linked', { count: 'items', where: { feature: 'tags', op: 'has', value: 'urgent' }, op: '>=', value: 2 }, { add: 'harm', value: 1 }),
        rule(
          'both',
          {
            all: [
              { feature: 'age', op: '<', value: 5 },
              {
                any: [
                  { feature: 'flag', op: 'true' },
                  { feature: 'n', op: '>', value: 3 },
                ],
              },
            ],
          },
          { add: 'harm', value: 1 },
        ),
      ]),
      CAT,
    );
    const o = c.evaluate({
      kind: 'b',
      tags: ['y', 'z'],
      text: 'send to gcash 0917',
      age: 2,
      flag: false,
      n: 4,
      items: [
        { id: 'r1', tags: ['urgent'] },
        { id: 'r2', tags: [] },
        { id: 'r3', tags: ['urgent', 'x'] },
      ],
    });
    const ev = Object.fromEntries(o.fired.map((f) => [f.rule, f.evidence]));
    assert.equal(ev.kind, 'kind = "b"');
    assert.equal(ev.tags, 'tags has y');
    assert.equal(ev.text, 'text mentions "gcash"');
    assert.equal(ev.linked, '2 items where tags has "urgent" (r1, r3)');
    assert.equal(ev.both, 'age = 2; n = 4');
    const near = c.evaluate({ kind: 'c', tags: ['z'], text: 'gcashier', items: [{ id: 'r1', tags: ['urgent'] }], age: 2, flag: false, n: 3 });
    assert.deepEqual(near.fired, []);
  });

  test('a rule outweighed by another that holds applies nothing and names what outweighed it', () => {
    const c = compileRuleset(
      ruleset([
        { ...rule('label', { feature: 'flag', op: 'true' }, { add: 'harm', value: -15 }), outweighedBy: ['strong', 'off'] },
        { ...rule('label-cap', { feature: 'flag', op: 'true' }, { cap: 'BOTTOM' }), outweighedBy: ['strong'] },
        rule('strong', { feature: 'age', op: '<', value: 12 }, { add: 'harm', value: 50 }),
        { ...rule('off', { feature: 'kind', op: '=', value: 'x' }, { add: 'harm', value: 1 }), enabled: false },
      ]),
      CAT,
    );
    const alone = c.evaluate({ flag: true, age: 30, kind: 'x' });
    assert.deepEqual(
      alone.fired.map((f) => [f.rule, f.effect, f.contribution]),
      [
        ['label', 'harm -15', -15],
        ['label-cap', 'cap BOTTOM', null],
      ],
    );
    const against = c.evaluate({ flag: true, age: 5, kind: 'x' });
    assert.equal(against.score, 50);
    assert.equal(against.tier, 'MID');
    const label = against.fired.find((f) => f.rule === 'label')!;
    assert.deepEqual([label.effect, label.contribution, label.outweighedBy], ['outweighed (harm -15)', null, ['strong']]);
    assert.equal(label.evidence, 'flag; outweighed by strong (age = 5)');
    assert.equal(against.fired.find((f) => f.rule === 'label-cap')!.effect, 'outweighed (cap BOTTOM)');
  });

  test('outweighedBy names rules of the ruleset; a bound limits an added weight', () => {
    const p = rulesetProblems(
      ruleset([
        { ...rule('a', { feature: 'flag', op: 'true' }, { add: 'harm', value: -20 }), outweighedBy: ['a', 'nope'], bound: 15 },
        { ...rule('b', { feature: 'flag', op: 'true' }, { floor: 'TOP' }), outweighedBy: [], bound: 5 },
        { ...rule('c', { feature: 'flag', op: 'true' }, { add: 'harm', value: 10 }), bound: -1 },
      ]),
      CAT,
    );
    for (const s of [
      '(a).outweighedBy[0]: a rule cannot outweigh itself',
      '(a).outweighedBy[1]: "nope" is not a rule',
      "(a).effect.value: -20 is beyond the rule's bound of 15",
      '(b).outweighedBy: a non-empty array',
      '(b).bound: only an {add} effect',
      '(c).bound: a positive number',
    ]) {
      assert.ok(
        p.some((x) => x.includes(s)),
        `expected ${s} in:\n${p.join('\n')}`,
      );
    }
    assert.deepEqual(rulesetProblems(ruleset([{ ...rule('a', { feature: 'flag', op: 'true' }, { add: 'harm', value: -15 }), bound: 15 }]), CAT), []);
  });

  test('a disabled rule never fires', () => {
    const r = rule('off', { feature: 'flag', op: 'true' }, { add: 'harm', value: 50 });
    const c = compileRuleset(ruleset([{ ...r, enabled: false }]), CAT);
    assert.deepEqual(c.evaluate({ flag: true }).fired, []);
  });
});
