// No trap for a tired hand (issue 20): closing what ranks in the top two tiers (a report's live
// triage tier, a subject's suspect tier) needs an explicit confirmation from the caller, whatever
// client sends the close. The web app's careful dialog is that confirmation; the API enforces it.
import type { Store } from '../store/database.ts';
import { tiersOfReports } from '../store/triage.ts';
import { liveTierNames } from '../triage/rulesets.ts';
import { DEFAULT_SUSPECT_RULESET, rankSuspects } from '../triage/suspects.ts';

/** How many tiers, from the top of a ruleset, ask for a confirmed close (IMMEDIATE and HIGH in the shipped rulesets). */
export const CAREFUL_TIER_COUNT = 2;

/** An item whose close must be confirmed, and the tier that makes it so. */
export interface CarefulItem {
  itemId: string;
  tier: string;
}

/**
 * The items that rank in a careful tier now: a report by its stored live tier (the live ruleset's
 * top two), a subject by its suspect tier (the suspect ruleset's top two, as the subject page shows).
 */
export async function carefulItems(store: Pick<Store, 'db'>, kind: 'report' | 'subject', itemIds: string[]): Promise<CarefulItem[]> {
  if (itemIds.length === 0) return [];
  if (kind === 'report') {
    const careful = new Set((await liveTierNames(store)).tiers.slice(0, CAREFUL_TIER_COUNT));
    const tiers = await tiersOfReports(store.db, itemIds);
    return itemIds.flatMap((itemId) => {
      const tier = tiers.get(itemId)?.tier;
      return tier !== undefined && careful.has(tier) ? [{ itemId, tier }] : [];
    });
  }
  const careful = new Set(DEFAULT_SUSPECT_RULESET.tiers.slice(0, CAREFUL_TIER_COUNT).map((t) => t.name));
  return (await rankSuspects(store, { subjectIds: itemIds })).filter((s) => careful.has(s.tier)).map((s) => ({ itemId: s.subjectId, tier: s.tier }));
}
