// The schedule of a run: which category each report slot has and when NCMEC receives it.
import { planWorld, type WorldStreamSlot } from './adversarial/plan.ts';
import type { Ctx } from './context.ts';
import { planPlants, type PlantPlan, type PlantSlot } from './plants.ts';
import type { SpikeParam } from './params.ts';
import type { Rng } from './rng.ts';
import type { Truth } from './truth.ts';
import { DAY } from './time.ts';
import { badInput } from '../model/error.ts';

/** What fills a slot of the stream: a background category, a planted report, or what a world plants. */
export type Slot = PlantSlot | WorldStreamSlot;

/** The slots of a run in the order they are written, and the plants behind some of them. */
export interface StreamPlan {
  slots: Slot[];
  plants: PlantPlan;
}

/** Plans `reports` slots: plants first, then viral, meme-batch, informational and ordinary filler. */
export function planStream(rng: Rng, ctx: Ctx, truth: Truth, reports: number): StreamPlan {
  const p = ctx.p;
  const plants = planPlants(rng.fork('plants'), ctx, truth, reports);
  const slots: Slot[] = [...plants.slots];
  if (ctx.world) for (const s of planWorld(rng.fork('world'), ctx, truth, reports, plants)) slots.push(s);
  if (slots.length > reports) {
    throw badInput('BAD_OPTION', `the planted reports (${slots.length}) do not fit in ${reports} reports: lower the plant rates or generate more reports`);
  }
  const r = rng.fork('background');
  const span = ctx.end - ctx.start;
  const at = (): number => ctx.start + Math.floor((r.float() * span) / 1000) * 1000;
  const background = reports - slots.length;
  const memes = Math.min(background, Math.round(reports * p.viral.batchShare));
  const virals = Math.min(background - memes, Math.round(reports * p.viral.unbatchedShare));
  let informational = 0;
  for (const s of slots) if (!s.referral) informational++;
  for (let i = 0; i < memes + virals; i++) {
    const referral = !r.chance(p.viral.informationalShare);
    if (!referral) informational++;
    slots.push({ t: at(), category: i < memes ? 'meme-batch' : 'viral', referral, index: 0 });
  }
  // Fill the informational target exactly: draw without replacement over the remaining slots.
  let rest = background - memes - virals;
  let need = Math.max(0, Math.min(rest, Math.round(reports * p.informationalShare) - informational));
  while (rest > 0) {
    const inf = r.float() * rest < need;
    if (inf) need--;
    rest--;
    slots.push({ t: at(), category: inf ? 'informational' : 'ordinary', referral: !inf, index: 0 });
  }
  plantSpikes(r.fork('spikes'), ctx, slots, reports);
  // Stable sort: equal times keep planning order, so the run stays deterministic.
  slots.sort((a, b) => a.t - b.t);
  return { slots, plants };
}

// The usual share of a spike's value among reports (its weight in the stream's mix).
function spikeShare(ctx: Ctx, s: SpikeParam): number {
  const mix: Record<string, number> = s.dimension === 'esp' ? ctx.p.esps.mix : s.dimension === 'incidentType' ? ctx.p.incidentMix : ctx.p.provinceWeights;
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  return total > 0 ? (mix[s.value] ?? 0) / total : 0;
}

/**
 * Turns ordinary slots into spike slots: `(factor − 1)` times the value's usual daily count, for
 * each day of the spike, placed at random times within it. No spikes, no draws: the stream is unchanged.
 */
function plantSpikes(rng: Rng, ctx: Ctx, slots: Slot[], reports: number): void {
  const perDay = (reports * DAY) / Math.max(DAY, ctx.end - ctx.start);
  const ordinary = slots.filter((s) => s.category === 'ordinary' && !s.plan && !s.trap && !s.world && !s.spike);
  for (const spike of ctx.p.spikes) {
    const start = Date.parse(`${spike.start}T00:00:00Z`);
    const extra = Math.round((spike.factor - 1) * perDay * spikeShare(ctx, spike) * spike.days);
    for (let i = 0; i < extra && ordinary.length > 0; i++) {
      const slot = ordinary.splice(rng.int(0, ordinary.length - 1), 1)[0]!;
      slot.t = start + Math.floor((rng.float() * spike.days * DAY) / 1000) * 1000;
      slot.spike = spike;
    }
  }
}
