// Rule texts and evidence in the user's language. A shipped rule carries a catalogue key (the
// server says which, src/triage/default-rules.ts ruleTextKey); an agency's own wording has none
// and is shown as written. Evidence names features (`victimMinAge = 7; annotations has
// sextortion`): each feature name and connecting word is looked up in the same catalogue.
import type { TFunction } from 'i18next';

/** A reason as the API gives it. */
export interface ReasonLike {
  rule: string;
  description?: string | null;
  textKey?: string | null;
}

/** The rule's text in the user's language, or its own wording when it has no key. */
export function ruleText(t: TFunction, r: ReasonLike): string {
  const own = r.description || r.rule;
  return r.textKey ? t(r.textKey, { defaultValue: own }) : own;
}

const WORDS: Array<[RegExp, string]> = [
  [/ has /g, 'has'],
  [/ mentions /g, 'mentions'],
  [/ is false$/g, 'isFalse'],
  [/ unknown$/g, 'unknown'],
  [/ where /g, 'where'],
];

// A feature name as the catalogue keys it (dots would be read as nesting).
const featureKey = (name: string): string => `feature.${name.replace(/\./g, '_')}`;

/** One evidence part (`feature op value`, `not (…)`, `N linked where …`) with its names translated. */
function part(t: TFunction, text: string): string {
  let out = text.replace(/^outweighed by /, () => `${t('evidence.outweighedBy')} `).replace(/^not \(/, () => `${t('evidence.not')} (`);
  // Feature names: letters, digits and dots, at the start or after "(" or a count.
  out = out.replace(/(^|\(|^\d+ )([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)/g, (m, pre: string, name: string) => {
    const k = featureKey(name);
    const label = t(k, { defaultValue: '' });
    return label ? `${pre}${label}` : m;
  });
  for (const [re, key] of WORDS) out = out.replace(re, (m) => m.replace(m.trim(), t(`evidence.${key}`)));
  return out;
}

/** Evidence text with feature names and connecting words in the user's language. */
export function evidenceText(t: TFunction, evidence: string | null | undefined): string {
  if (!evidence) return '—';
  return evidence
    .split('; ')
    .map((p) => part(t, p))
    .join('; ');
}
