// Whether an ESP's escalation gives a reason. NCMEC's schema asks the ESP to write, with the
// escalation, "the reason for this escalation" (immediate risk to a child), and to write nothing
// otherwise (cyber_tipline.xsd, escalateToHighPriority). SIO 2024 found escalation flags applied
// inconsistently, some with no text at all (domain.md §5.4, §7.6). So the flag alone is a label:
// weak, bounded evidence. Only a text that says something about a child, an act, a time or a
// place is read as the ESP's statement of risk. Defined by shape, never by any corpus.

/** How much an escalation says: none (not escalated), a bare flag, or a reason. */
export type EscalationStrength = 'none' | 'flag' | 'reason';

/** Values that say "not escalated" (LE JSON may carry a boolean where the XSD has text). */
const NEGATIVE = new Set(['false', 'no', 'n', '0', 'off']);

/**
 * Words that carry no reason: procedure (escalate, priority, urgent, review), flags (yes, true),
 * placeholders (n/a, none, unknown, test; Filipino wala, wala po), reporting boilerplate (this
 * report, the user, the content, per policy) and function words. A text made only of these is a
 * template, however long.
 */
const EMPTY_WORDS = new Set(
  `
a about above additional again all also an and any are as asap at attached attention auto automated automatic available
be been being below by can case cases check content contents could cybertip cybertipline default detail details do does
done due escalate escalated escalating escalation esp ess file files flag flagged flagging for from further generated
had has have here high higher highest i immediate immediately importance important in info information is it its kindly
level low matter n na nil ncmec no none not note noted notes null of on or other our per please pls po policy priority
provided re reason review reviewed reviewing see sent standard submitted submission system team template test
that the this to tbd tba true trust safety unknown upon urgent urgency user users wala was we were will with within
yes yo you your
`
    .split(/\s+/)
    .filter(Boolean),
);

/** At least this many words outside EMPTY_WORDS make a reason (e.g. "child in danger", "abuse ongoing"). */
export const REASON_MIN_WORDS = 2;

/** The strength of an escalation text as written (null or undefined: not escalated). */
export function escalationStrength(text: string | null | undefined): EscalationStrength {
  if (text === null || text === undefined) return 'none';
  const t = text.trim().toLowerCase();
  if (NEGATIVE.has(t)) return 'none';
  // Words of two letters or more, in any script; digits, punctuation and single letters say nothing.
  const words = t.normalize('NFKC').match(/\p{L}[\p{L}\p{M}'’-]*\p{L}/gu) ?? [];
  const content = words.filter((w) => !EMPTY_WORDS.has(w.replace(/['’]/g, '')));
  return content.length >= REASON_MIN_WORDS ? 'reason' : 'flag';
}
