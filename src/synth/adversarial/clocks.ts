// ESP clocks of the adversarial world (domain.md §7.6): each ESP writes times one way (UTC, its
// home offset, or local time without a zone) and its clock is off by a few seconds. IP+port+time
// links must survive both; a zoneless time is ambiguous, so the world never lets one be a
// subject's only link (see plan.ts).
import { ESP_HOME_OFFSET, type ClockConvention } from '../data/products.ts';
import { WeightedTable, type Rng } from '../rng.ts';
import type { WorldParams } from '../world-file.ts';

/** How one report writes its times. */
export interface ReportClock {
  /** The offset times are computed in ('Z' or '±HH:MM'). */
  tz: string;
  /** Written without the zone designator (local time). */
  zoneless: boolean;
  /** The ESP's clock error, added to every time it writes. */
  skewMs: number;
}

/** One ESP's convention and clock error, fixed for a run. */
export interface EspClock {
  convention: ClockConvention;
  offset: string;
  skewMs: number;
}

/** The clocks of every ESP of a run. */
export class WorldClocks {
  private readonly esps = new Map<string, EspClock>();
  private readonly table: WeightedTable<ClockConvention>;

  /** Draws each ESP's convention and clock error (ESP names sorted, so the draw is stable). */
  constructor(
    rng: Rng,
    readonly p: WorldParams['clocks'],
    espNames: readonly string[],
  ) {
    this.table = new WeightedTable(p.conventionMix as Record<ClockConvention, number>);
    for (const esp of [...espNames].sort()) this.esps.set(esp, this.draw(rng, esp));
  }

  private draw(rng: Rng, esp: string): EspClock {
    const maxMs = Math.round(this.p.maxSkewSeconds * 1000);
    return { convention: this.table.draw(rng), offset: ESP_HOME_OFFSET[esp] ?? '+08:00', skewMs: maxMs > 0 ? rng.int(-maxMs, maxMs) : 0 };
  }

  /** The ESP's fixed clock (an ESP added through the parameters gets UTC and no error). */
  of(esp: string): EspClock {
    return this.esps.get(esp) ?? { convention: 'utc', offset: '+08:00', skewMs: 0 };
  }

  /** How one report of `esp` writes its times; `explicitZone` turns a zoneless convention into an offset. */
  report(rng: Rng, esp: string, explicitZone = false): ReportClock {
    const e = this.of(esp);
    let convention = rng.chance(this.p.consistencyShare) ? e.convention : this.table.draw(rng);
    if (explicitZone && convention === 'zoneless') convention = 'offset';
    return { tz: convention === 'utc' ? 'Z' : e.offset, zoneless: convention === 'zoneless', skewMs: e.skewMs };
  }
}
