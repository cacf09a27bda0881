// What a report's own words say: the patterns the default rules and the linkage signals share, kept
// in one place so that an edit to one is an edit to both. Each is written from a published
// description of the behaviour, not from any generated corpus; docs/triage.md lists the sources.

/**
 * Paying for access: the channels the Philippine cases name (IJM; AUSTRAC/FINTRAC indicators), or
 * a sum of money sent or paid in plain words ("sent $50 to …", "paid 30 pounds"), the form a
 * customer's own chat takes when it names no channel. A number without a currency is not money.
 */
export const PAYMENT_TALK = String.raw`\b(gcash|padala|paymaya|maya|e-?wallet|remit|send load|payment first|western union|palawan|(sent|sending|send|paid|pay|paying|transferred) (you |u )?([$€£₱] ?\d[\d,.]*|(usd|aud|gbp|eur|cad|php) ?\d[\d,.]*|\d[\d,.]* ?(k|usd|aud|gbp|eur|cad|php|pesos?|dollars?|bucks|pounds?|euros?|quid)))\b`;

/**
 * A live session arranged in words (IJM; AIC T&I 671). Showing images to someone ("show them to
 * your parents") is the sextortion threat, not a show.
 */
export const LIVE_TALK = String.raw`\b(show(?! (them|it|these|this|those) to)|live (video|session|call|broadcast)|private cam|video call|on cam)\b`;

/**
 * A threat to spread a child's images unless paid, as the FBI and NCMEC describe financial
 * sextortion: "pay or I will send them to your friends, family, followers or school". English and
 * Filipino forms ("ikakalat ko", "ipo-post ko", "ipapakita ko"). The same condition is also put as
 * a bargain over deleting them ("no money no delete", "pay and i'll delete", "i delete when you
 * pay", "bayaran mo … buburahin ko"): paying is the price of the images not being kept and spread.
 */
export const THREAT = String.raw`\b(or (i|we)('ll| will)? (send|post|share|leak|expose|release)|(your|ur) (family|followers|school|classmates|parents|contacts|friends( list)?) (sees?|will see|gets? (them|it)|will get)|(send|post|leak|show)(ing)? (them|it|these|this) to (all )?(your|ur) |demand(ing)? payment|extort|ikakalat ko|ipo-?post ko|ipapakita ko|no (money|pay(ment)?|cash|bayad)[,.]? no (delete|deleting|burahin|bura)|(pay|send)\b[^.\n]{0,40}\b(and|then|before) (i|we)('ll| will)? (delete|remove)|(delete|remove)\b[^.\n]{0,30}\b(after|when|once|if) (you|u) (pay|send)|bayaran mo[^.\n]{0,40}\b(buburahin|ide-?delete))`;

// A person stating an age in the first person or as "N years old"; times ("i'm 5 min away", "10 am") are not ages.
const STATED_AGE =
  /\b(?:i'?m|i am|ako ay)\s+(?:only\s+|just\s+|turning\s+)?(\d{1,2})\b(?!\s*(?:%|am\b|pm\b|a\.m|p\.m|mins?\b|minutes?\b|hours?\b|hrs?\b|k\b|km\b|mi\b|\$|dollars?|pesos?))|\b(\d{1,2})\s*(?:years?[\s-]old|yrs?[\s-]old|y\/o|yo\b|anyos|taong gulang|taon na ako)|\b(\d{1,2})\s+(?:pa lang|palang|lang)\s+ako\b/g;

/**
 * The youngest age under 18 that the report's text states ("im only 14", "13 years old", "14 pa lang
 * ako"), or null. A child saying their age in a chat is evidence of a minor (ICAC and NCMEC
 * practice: the self-stated age counts until disproved), though weaker than a stated date of birth.
 */
export function statedMinorAge(text: string): number | null {
  let min: number | null = null;
  for (const m of text.matchAll(STATED_AGE)) {
    const age = Number(m[1] ?? m[2] ?? m[3]);
    if (age >= 1 && age < 18 && (min === null || age < min)) min = age;
  }
  return min;
}
