// The default payment rules, as data for the triage rules engine (src/model/rule-engine.ts): one
// ruleset per role. Each rule names its indicator (domain.md §9.3) and source. "No indicator
// works alone" (AUSTRAC): a cap keeps a party under ALERT unless a network indicator holds
// (fan-in, fan-out, paying or paid by flagged parties, a sextortion burst); the legitimate
// look-alikes (§9.4: family remittances, business payouts, charities) are held down by rules too.

import type { FeatureCatalogue, Ruleset } from '../model/rule-engine.ts';

/** Features a sender rule may test. */
export const SENDER_CATALOGUE: FeatureCatalogue = {
  transfers: { type: 'number', description: 'payments sent' },
  bandShare: { type: 'number', description: 'F1: share of payments in the amount band (US$10–200 equivalent)' },
  nightShare: { type: 'number', description: 'F8: share sent 22:00–05:00 sender-local' },
  roundShare: { type: 'number', description: 'F9: share of round amounts' },
  purposeShare: { type: 'number', description: 'F10: share whose purpose has a catalogue word (gift, school, hospital…)' },
  handle: { type: 'boolean', description: 'F10: a social-media handle in a purpose' },
  workShare: { type: 'number', description: 'share whose purpose reads as business (salary, invoice #, project)' },
  familyShare: { type: 'number', description: 'F6: share of payments to a receiver sharing a family name' },
  corridorShare: { type: 'number', description: 'F7: share from a demand country to a destination country' },
  riskChannelShare: { type: 'number', description: 'F11: share through remitters, e-wallets, P2P, crypto, gift cards' },
  max30: { type: 'number', description: 'F2: most payments in any 30 days' },
  medianGapDays: { type: 'number', description: 'F2: median days between payments' },
  medianUsd: { type: 'number', description: 'median payment, US$ equivalent' },
  escalation: { type: 'boolean', description: 'F3: the later half pays more, more often' },
  fanOut: { type: 'number', description: 'F5: distinct unrelated receivers in destination countries' },
  providers: { type: 'number', description: 'F11: distinct providers used' },
  organisation: { type: 'boolean', description: 'the sender is a company or organisation' },
  sextortionBurst: { type: 'boolean', description: 'F17: a quick run of payments to one receiver in NG/CI/PH, then nothing' },
  sextortionPayments: { type: 'number', description: 'F17: payments in the largest burst' },
  sextortionUsd: { type: 'number', description: 'F17: US$ in the largest burst' },
  paysFlaggedReceivers: { type: 'number', description: 'distinct flagged receivers paid (no family tie)' },
};

/** Features a receiver rule may test. */
export const RECEIVER_CATALOGUE: FeatureCatalogue = {
  transfers: { type: 'number', description: 'payments received' },
  foreignTransfers: { type: 'number', description: 'payments from another country' },
  fanIn: { type: 'number', description: 'F4: distinct foreign senders with no family tie, not businesses' },
  bandShare: { type: 'number', description: 'F1: share of foreign payments in the amount band' },
  nightShare: { type: 'number', description: 'F8: share of foreign payments sent 22:00–05:00 sender-local' },
  roundShare: { type: 'number', description: 'F9: share of foreign payments with round amounts' },
  purposeShare: { type: 'number', description: 'F10: share of foreign payments with a catalogue purpose word' },
  handle: { type: 'boolean', description: 'F10: a social-media handle in a purpose' },
  corridorShare: { type: 'number', description: 'F7: share of foreign payments on a demand→destination corridor' },
  familyShare: { type: 'number', description: 'F6: share of payments from someone sharing a family name' },
  max30: { type: 'number', description: 'F2: most foreign payments in any 30 days' },
  newOrDormant: { type: 'boolean', description: 'F15: new or dormant, then at least three foreign payments within 30 days' },
  cashOutShare: { type: 'number', description: 'F15: share of foreign inflow sent on within 48 hours' },
  providers: { type: 'number', description: 'F11: distinct providers received through' },
  organisation: { type: 'boolean', description: 'the receiver is an organisation (charity, company, school)' },
  sextortionBurst: { type: 'boolean', description: 'F17: received a sextortion-shaped burst' },
  sextortionSenders: { type: 'number', description: 'F17: senders of such bursts' },
  paidByFlaggedSenders: { type: 'number', description: 'distinct flagged senders paying (no family tie)' },
  topSenderShare: { type: 'number', description: 'F16: share of payments made by the most active sender' },
};

const TIERS = [
  { name: 'ALERT', min: 6, description: 'fits the pattern on several indicators including a network one: listed as an alert' },
  { name: 'WATCH', min: 3, description: 'some indicators, not enough together' },
  { name: 'NONE', min: 0 },
];
const SCORES = { pattern: { min: 0, max: 30, description: 'how well the party fits payment for livestreamed abuse (or sextortion)' } };

/** Default sender rules. */
export const DEFAULT_SENDER_RULES: Ruleset = {
  name: 'bantay-payments-sender',
  description: 'Payers of livestreamed abuse and sextortion victims paying (domain.md §9).',
  scores: SCORES,
  combine: { pattern: 1 },
  tiers: TIERS,
  rules: [
    {
      id: 's-pays-flagged',
      description: 'Pays a receiver flagged on its own indicators (one beneficiary paid by several customers).',
      source: 'AUSTRAC case studies',
      when: { feature: 'paysFlaggedReceivers', op: '>=', value: 1 },
      effect: { add: 'pattern', value: 3 },
    },
    {
      id: 's-pays-several-flagged',
      description: 'Pays two or more flagged receivers.',
      source: 'Westpac; FINTRAC',
      when: { feature: 'paysFlaggedReceivers', op: '>=', value: 2 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-fan-out',
      description: 'F5: pays three or more unrelated receivers in destination countries.',
      source: 'Westpac; FINTRAC; AMLC',
      when: { feature: 'fanOut', op: '>=', value: 3 },
      effect: { add: 'pattern', value: 2 },
    },
    {
      id: 's-band',
      description: 'F1: most payments in the band (US$10–200 equivalent).',
      source: 'FATF 2025; AUSTRAC; AMLC',
      when: { all: [{ feature: 'bandShare', op: '>=', value: 0.6 }] },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-frequency',
      description: 'F2: three or more payments within 30 days, median gap under 20 days.',
      source: 'AIC T&I 634; AUSTRAC',
      when: {
        all: [
          { feature: 'max30', op: '>=', value: 3 },
          { feature: 'medianGapDays', op: '<', value: 20 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-escalation',
      description: 'F3: amounts rise and gaps shrink.',
      source: 'AIC T&I 589',
      when: { feature: 'escalation', op: 'true' },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-night',
      description: 'F8: sends late at night, sender-local.',
      source: 'FATF 2025',
      when: { feature: 'nightShare', op: '>=', value: 0.4 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-round',
      description: 'F9: round amounts.',
      source: 'FATF 2025',
      when: { feature: 'roundShare', op: '>=', value: 0.5 },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 's-purpose',
      description: 'F10: innocuous purposes (gift, school, hospital…) or a social handle.',
      source: 'AUSTRAC red flags; FATF',
      when: {
        any: [
          { feature: 'purposeShare', op: '>=', value: 0.3 },
          { feature: 'handle', op: 'true' },
        ],
      },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 's-corridor',
      description: 'F7: from a demand country to a destination country.',
      source: 'AMLC 2023; FINTRAC',
      when: { feature: 'corridorShare', op: '>=', value: 0.5 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-no-family',
      description: 'F6: no family-name tie with the receivers.',
      source: 'Westpac; FINTRAC; AMLC',
      when: {
        all: [
          { feature: 'familyShare', op: '<', value: 0.2 },
          { feature: 'corridorShare', op: '>', value: 0 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 's-channel',
      description: 'F11: online remitters, e-wallets, P2P or crypto, or several providers.',
      source: 'AUSTRAC; AMLC; FinCEN',
      when: {
        any: [
          { feature: 'riskChannelShare', op: '>=', value: 0.8 },
          { feature: 'providers', op: '>=', value: 2 },
        ],
      },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 's-sextortion',
      description: 'F17: a quick run of small-then-larger payments to one receiver in NG, CI or PH, then nothing: a sextortion victim paying.',
      source: 'FATF 2025; FBI',
      when: { feature: 'sextortionBurst', op: 'true' },
      effect: { add: 'pattern', value: 6 },
    },
    {
      id: 's-family-lookalike',
      description: 'Look-alike: most payments go to someone sharing the family name (overseas-worker remittance).',
      source: 'domain.md §9.4; Cebu remitters',
      when: { feature: 'familyShare', op: '>=', value: 0.5 },
      effect: { add: 'pattern', value: -4 },
    },
    {
      id: 's-business-lookalike',
      description: 'Look-alike: a company, or business purposes (freelancer and BPO payouts).',
      source: 'domain.md §9.4',
      when: {
        any: [
          { feature: 'organisation', op: 'true' },
          { feature: 'workShare', op: '>=', value: 0.5 },
        ],
      },
      effect: { add: 'pattern', value: -3 },
    },
    {
      id: 's-large-amounts',
      description: 'Look-alike: the typical payment is well above the band.',
      source: 'FATF 2025; AMLC 2020 (81% ₱1,000–10,000)',
      when: { feature: 'medianUsd', op: '>', value: 400 },
      effect: { add: 'pattern', value: -2 },
    },
    {
      id: 's-needs-network',
      description: 'No indicator works alone: without a network indicator a sender stays below ALERT.',
      source: 'AUSTRAC guidance',
      when: {
        not: {
          any: [
            { feature: 'paysFlaggedReceivers', op: '>=', value: 1 },
            { feature: 'fanOut', op: '>=', value: 3 },
            { feature: 'sextortionBurst', op: 'true' },
          ],
        },
      },
      effect: { cap: 'WATCH' },
    },
  ],
};

/** Default receiver rules. */
export const DEFAULT_RECEIVER_RULES: Ruleset = {
  name: 'bantay-payments-receiver',
  description: 'Facilitators receiving pay-per-view payments, and sextortion receivers (domain.md §9).',
  scores: SCORES,
  combine: { pattern: 1 },
  tiers: TIERS,
  rules: [
    {
      id: 'r-fan-in',
      description: 'F4: paid by three or more unrelated foreign senders (one point each, at most five).',
      source: 'AUSTRAC case studies',
      when: { feature: 'fanIn', op: '>=', value: 3 },
      effect: { add: 'pattern', value: 1, per: 'fanIn', max: 5 },
    },
    {
      id: 'r-band',
      description: 'F1: most foreign payments in the band.',
      source: 'FATF 2025; AUSTRAC; AMLC',
      when: {
        all: [
          { feature: 'bandShare', op: '>=', value: 0.6 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-frequency',
      description: 'F2: four or more foreign payments within 30 days.',
      source: 'AIC T&I 634; AUSTRAC',
      when: { feature: 'max30', op: '>=', value: 4 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-night',
      description: 'F8: foreign payments sent late at night, sender-local.',
      source: 'FATF 2025',
      when: {
        all: [
          { feature: 'nightShare', op: '>=', value: 0.4 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-round',
      description: 'F9: round amounts.',
      source: 'FATF 2025',
      when: {
        all: [
          { feature: 'roundShare', op: '>=', value: 0.5 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 'r-purpose',
      description: 'F10: innocuous purposes or a social handle.',
      source: 'AUSTRAC red flags; FATF',
      when: {
        all: [
          {
            any: [
              { feature: 'purposeShare', op: '>=', value: 0.3 },
              { feature: 'handle', op: 'true' },
            ],
          },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 'r-corridor',
      description: 'F7: foreign payments on a demand→destination corridor.',
      source: 'AMLC 2023; FINTRAC',
      when: {
        all: [
          { feature: 'corridorShare', op: '>=', value: 0.8 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 0.5 },
    },
    {
      id: 'r-no-family',
      description: 'F6: the foreign senders share no family name with the receiver.',
      source: 'Westpac; FINTRAC; AMLC',
      when: {
        all: [
          { feature: 'familyShare', op: '<', value: 0.2 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-channel',
      description: 'F11: received through three or more providers.',
      source: 'AUSTRAC; AMLC',
      when: { feature: 'providers', op: '>=', value: 3 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-new-dormant',
      description: 'F15: a new or dormant account with sudden foreign inflows.',
      source: 'AMLC; IJM',
      when: { feature: 'newOrDormant', op: 'true' },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-cash-out',
      description: 'F15: foreign money sent on within 48 hours.',
      source: 'AMLC; IJM',
      when: {
        all: [
          { feature: 'cashOutShare', op: '>=', value: 0.5 },
          { feature: 'foreignTransfers', op: '>=', value: 3 },
        ],
      },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-sextortion',
      description: 'F17: received a sextortion-shaped burst (quick payments, small first, then nothing).',
      source: 'FATF 2025; FBI',
      when: { feature: 'sextortionBurst', op: 'true' },
      effect: { add: 'pattern', value: 6 },
    },
    {
      id: 'r-paid-by-flagged',
      description: 'Paid by a sender flagged on its own indicators (payers of livestreams pay several facilitators).',
      source: 'AUSTRAC; Westpac',
      when: { feature: 'paidByFlaggedSenders', op: '>=', value: 1 },
      effect: { add: 'pattern', value: 2 },
    },
    {
      id: 'r-paid-by-several-flagged',
      description: 'Paid by two or more flagged senders.',
      source: 'AUSTRAC; Westpac',
      when: { feature: 'paidByFlaggedSenders', op: '>=', value: 2 },
      effect: { add: 'pattern', value: 1 },
    },
    {
      id: 'r-family-lookalike',
      description: 'Look-alike: most payments come from someone sharing the family name (overseas-worker remittance).',
      source: 'domain.md §9.4',
      when: { feature: 'familyShare', op: '>=', value: 0.5 },
      effect: { add: 'pattern', value: -4 },
    },
    {
      id: 'r-organisation-lookalike',
      description: 'Look-alike: the receiver is an organisation (charity sponsorships draw many small, regular, foreign gifts).',
      source: 'domain.md §9.4',
      when: { feature: 'organisation', op: 'true' },
      effect: { add: 'pattern', value: -6 },
    },
    {
      id: 'r-needs-network',
      description: 'No indicator works alone: without fan-in, flagged payers or a sextortion burst a receiver stays below ALERT.',
      source: 'AUSTRAC guidance',
      when: {
        not: {
          any: [
            { feature: 'fanIn', op: '>=', value: 3 },
            { feature: 'paidByFlaggedSenders', op: '>=', value: 1 },
            { feature: 'sextortionBurst', op: 'true' },
          ],
        },
      },
      effect: { cap: 'WATCH' },
    },
  ],
};
