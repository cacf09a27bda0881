// Worlds: the standard stream (today's generator, byte for byte) and worlds that write the same
// kind of data the way real NCMEC data arrives (docs/generator.md "Worlds"). A world is a file of
// two parts: `params` overlays the standard parameters (rates of the stream itself), `world`
// holds the rates of what only that world plants (product names, placeholders in every kind,
// label noise, decoys, clock conventions...). Both are validated like the standard parameters.
import { existsSync, readFileSync } from 'node:fs';
import { ADVERSARIAL_WORLD } from './worlds/adversarial.ts';
import { WORLD_NAMES } from './names.ts';
import { overlay, shapeErrors, loadParams, type DeepPartial, type SynthParams } from './params.ts';
import type { WorldFile, WorldParams } from './world-file.ts';
import { badInput } from '../model/error.ts';

/** A resolved world: its name, the stream parameters and (for a non-standard world) its own rates. */
export interface World {
  name: string;
  params: DeepPartial<SynthParams>;
  world?: WorldParams;
}

export { WORLD_NAMES };

const OPEN = new Set(['subjects.foreignPhoneCountries', 'subjects.phoneHintMix', 'clocks.conventionMix']);
const CONVENTIONS = new Set(['utc', 'offset', 'zoneless']);
const HINTS = new Set(['routed-country', 'esp-location', 'reporter-country', 'ip-country', 'none']);

/** Validates a world file's JSON; throws one readable error listing every problem. */
export function loadWorld(json: unknown): WorldFile {
  const errors: string[] = [];
  const o = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') errors.push('name: expected a non-empty string');
  if (o.description !== undefined && typeof o.description !== 'string') errors.push('description: expected a string');
  for (const k of Object.keys(o))
    if (!['name', 'description', 'params', 'world'].includes(k)) errors.push(`${k}: unknown key (expected one of: description, name, params, world)`);
  try {
    loadParams(o.params ?? {});
  } catch (e) {
    for (const l of (e as Error).message.split('\n').slice(1)) errors.push(`params.${l.trim()}`);
  }
  for (const e of shapeErrors(o.world ?? {}, ADVERSARIAL_WORLD.world, OPEN)) errors.push(`world.${e}`);
  const w = overlay(ADVERSARIAL_WORLD.world, (o.world ?? {}) as DeepPartial<WorldParams>);
  for (const k of Object.keys(w.clocks.conventionMix))
    if (!CONVENTIONS.has(k)) errors.push(`world.clocks.conventionMix.${k}: expected one of utc, offset, zoneless`);
  for (const k of Object.keys(w.subjects.phoneHintMix))
    if (!HINTS.has(k)) errors.push(`world.subjects.phoneHintMix.${k}: expected one of ${[...HINTS].join(', ')}`);
  if (w.traps.sharedMailboxReportsMax < w.traps.sharedMailboxReportsMin) errors.push('world.traps.sharedMailboxReportsMax must be >= sharedMailboxReportsMin');
  if (w.traps.ipPortDecoyMinutesMax < w.traps.ipPortDecoyMinutesMin) errors.push('world.traps.ipPortDecoyMinutesMax must be >= ipPortDecoyMinutesMin');
  if (errors.length > 0) throw badInput('BAD_FILE', `invalid world file:\n  ${errors.join('\n  ')}`);
  return { name: o.name as string, description: (o.description as string | undefined) ?? '', params: (o.params ?? {}) as DeepPartial<SynthParams>, world: w };
}

/** The world a name or file names: 'standard', 'adversarial', or a path to a world JSON file. */
export function resolveWorld(nameOrFile: string | undefined): World {
  if (nameOrFile === undefined || nameOrFile === 'standard') return { name: 'standard', params: {} };
  if (nameOrFile === 'adversarial') return { name: 'adversarial', params: ADVERSARIAL_WORLD.params, world: ADVERSARIAL_WORLD.world };
  if (!existsSync(nameOrFile))
    throw badInput('BAD_OPTION', `unknown world ${JSON.stringify(nameOrFile)}: expected ${WORLD_NAMES.join(' or ')}, or a world JSON file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch (e) {
    throw badInput('BAD_FILE', `cannot read world file ${nameOrFile}: ${(e as Error).message}`);
  }
  const f = loadWorld(parsed);
  return { name: f.name, params: f.params, world: f.world };
}
