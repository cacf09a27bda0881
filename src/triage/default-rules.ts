// The default triage ruleset, shipped in code so that it works from source and from dist/. Each
// rule names the published criterion it follows (domain.md §3-§6). Agencies export it, edit it
// and import their own version (`bantay rules export|import|test|calibrate`).
//
// The principle (docs/triage.md §3): labels are evidence, not verdicts. What another party
// concluded about a report (NCMEC's informational or referral label and its priority, the ESP's
// escalation flag, its meme, viral and spam flags, a meme batch) adds a bounded weight, at most
// LABEL_BOUND points, because those labels are applied inconsistently (SIO 2024; domain.md §2.5,
// §7.6). No label caps or floors a report; a demoting label is outweighed, and says so, when the
// report carries strong evidence of a child in danger (STRONG). What the report itself shows (its
// files, victims, text, links, payments) and what Bantay measured (new or known material,
// recirculation) carries the weight.
import type { Condition, Rule, Ruleset } from '../model/rule-engine.ts';
import { LIVE_TALK, PAYMENT_TALK, THREAT } from './text-signals.ts';

/** The most a single upstream label may move a report: half a tier (tiers are 30 points apart). */
export const LABEL_BOUND = 15;

/**
 * Strong evidence of a child in danger now: when any of these rules holds, no demoting upstream
 * label applies (each is outweighed, and the explanation names the evidence). Domain.md §5.5
 * "highest" and "very high" factors; issue 17 item 4.
 */
export const STRONG_EVIDENCE = [
  'escalation-reason',
  'sextortion-minor',
  'livestream-negotiation',
  'livestream-annotation',
  'new-material-child',
  'linked-urgent',
  'linked-payments',
  'livestream-payment',
];

const URGENT_LINK = ['escalation', 'sextortion', 'livestream', 'new-young'];
const MEME_FLAGS = ['potentialMeme', 'viral'];

/** Material on a list or recirculating by Bantay's own count: already known, not a child being abused now. */
const KNOWN_OR_RECIRCULATING: Condition = {
  any: [
    { feature: 'hash.novelty', op: '=', value: 'known' },
    { feature: 'hash.recirculating', op: 'true' },
  ],
};
/** Recirculating material and nothing new beside it: VizX2 classes a report by its most valuable file. */
const ONLY_RECIRCULATING: Condition = { all: [{ feature: 'hash.recirculating', op: 'true' }, { not: { feature: 'hash.newMaterial', op: 'true' } }] };
const CHILD_UNDER_12: Condition = {
  any: [
    { feature: 'victimMinAge', op: '<', value: 12 },
    { feature: 'fileAnnotations', op: 'has', value: 'infant' },
  ],
};

/**
 * Sextortion (NCMEC's annotation, or the threat for payment in the report's words) of a minor (a
 * stated age, the child's own stated age in the chat, an intended minor recipient, or the
 * sextortion annotation itself: the CyberTipline reports the exploitation of children).
 */
const SEXTORTION_OF_MINOR: Condition = {
  all: [
    {
      any: [
        { feature: 'annotations', op: 'has', value: 'sextortion' },
        { feature: 'text', op: 'matches', value: THREAT },
      ],
    },
    {
      any: [
        { feature: 'victimMinAge', op: '<', value: 18 },
        { feature: 'statedMinorAge', op: '<', value: 18 },
        { feature: 'intendedMinorCount', op: '>', value: 0 },
        { feature: 'annotations', op: 'has', value: 'sextortion' },
      ],
    },
  ],
};

/** A demoting upstream label: bounded, outweighed by strong evidence. */
function label(rule: Omit<Rule, 'bound' | 'outweighedBy'>): Rule {
  return { ...rule, bound: LABEL_BOUND, outweighedBy: STRONG_EVIDENCE };
}

/** The default ruleset (version assigned when it is first stored). */
export const DEFAULT_RULESET: Ruleset = {
  name: 'bantay-default',
  description:
    'Harm/urgency and actionability after the published criteria (NCMEC, ICAC, ACCCE, KIRAT, VizX2, AviaTor, SIO); labels are bounded evidence, never verdicts; see docs/triage.md.',
  scores: {
    harm: { min: 0, max: 100, description: 'how likely a child is in danger now' },
    actionability: { min: 0, max: 100, description: 'whether anyone can act on it: who, where, data still there' },
  },
  combine: { harm: 1, actionability: 0.3 },
  tiers: [
    { name: 'IMMEDIATE', min: 90, description: 'a child likely in danger now: act today' },
    { name: 'HIGH', min: 60, description: 'serious harm signals or strong linkage' },
    { name: 'STANDARD', min: 30, description: 'ordinary reports to work in turn' },
    { name: 'LOW', min: 12, description: 'little harm signal or nothing to act on' },
    { name: 'NOISE', min: 0, description: 'viral, meme, spam or informational with nothing against it' },
  ],
  pausedTier: 'PAUSED',
  rules: [
    // --- Direct evidence of a child in danger ---------------------------------------------
    {
      id: 'escalation-reason',
      description: 'The ESP escalated the report and says why: its statement of an immediate risk to a child.',
      source:
        'NCMEC schema: escalateToHighPriority carries "the reason for this escalation" (immediate risk to child); NCMEC: imminent harm first; ICAC operational scale (1) child at immediate risk',
      when: { feature: 'escalationReason', op: 'true' },
      effect: { add: 'harm', value: 60 },
    },
    {
      id: 'escalation-reason-floor',
      description:
        'A reasoned escalation is IMMEDIATE, ahead of the rest of the tier, unless Bantay finds only listed or recirculating material behind it, or the child has been rescued.',
      source:
        'NCMEC: imminent harm first; ICAC operational scale (1) child at immediate risk, before (4) new material however many factors add up; VizX2 and ICSE: known material is already in the identification pipeline',
      when: { feature: 'escalationReason', op: 'true' },
      effect: { floor: 'IMMEDIATE', first: true },
      outweighedBy: ['known-material', 'recirculating', 'rescued-child'],
    },
    {
      id: 'sextortion-minor',
      description:
        'Sextortion (annotation or threat-for-payment chat) of a minor (a stated age, a child saying their age in the chat, or an intended minor recipient): hours-critical.',
      source: 'FBI/HSI sextortion bulletins; NCMEC financial sextortion data (domain.md §3, §5.5)',
      when: SEXTORTION_OF_MINOR,
      effect: { add: 'harm', value: 60 },
    },
    {
      id: 'sextortion-minor-floor',
      description:
        'Sextortion of a minor is IMMEDIATE, ahead of the rest of the tier, files or none, unless the child has been rescued: a child threatened now may harm themselves within hours.',
      source:
        'FBI/HSI sextortion warnings (at least 20 suicides) and NCMEC (one case four hours from contact to death): a child at immediate risk, ICAC operational scale (1), as a reasoned escalation is (domain.md §3, §5.1)',
      // The annotation alone stands for the child only while no victim's recorded age says adult:
      // a label is evidence, and a recorded age is stronger evidence against it.
      when: { all: [SEXTORTION_OF_MINOR, { not: { feature: 'victimMinAge', op: '>=', value: 18 } }] },
      effect: { floor: 'IMMEDIATE', first: true },
      outweighedBy: ['rescued-child'],
    },
    {
      id: 'sextortion-recent',
      description: 'Sextortion received in the last three days: the risk decays in hours, not weeks.',
      source: 'FBI: sextortion deaths within hours of contact; NCMEC 2022 (domain.md §3)',
      when: {
        all: [
          { feature: 'signals', op: 'has', value: 'sextortion' },
          { feature: 'time.ageDays', op: '<', value: 3 },
        ],
      },
      effect: { add: 'harm', value: 15 },
    },
    {
      id: 'livestream-negotiation',
      description: 'Chat or ESP text arranges a paid show: payment channel and live session together.',
      source: 'IJM; AIC T&I 671; AUSTRAC/FINTRAC indicators (domain.md §5.5, §9)',
      when: {
        all: [
          { feature: 'text', op: 'matches', value: PAYMENT_TALK },
          { feature: 'text', op: 'matches', value: LIVE_TALK },
        ],
      },
      effect: { add: 'harm', value: 55 },
    },
    {
      id: 'livestream-annotation',
      description: 'A file is annotated as live streaming and is not listed or recirculating material.',
      source: 'IJM; AIC Trends & Issues 671: livestreamed abuse (domain.md §3, §5.5)',
      when: { all: [{ feature: 'fileAnnotations', op: 'has', value: 'liveStreaming' }, { not: KNOWN_OR_RECIRCULATING }] },
      effect: { add: 'harm', value: 45 },
    },
    {
      id: 'livestream-recording',
      description: 'A live-streaming annotation on listed or recirculating material: a recording of a past stream.',
      source: 'VizX2: known material after unknown; ICSE: an identified series is a deconfliction signal (domain.md §10, anchors.md)',
      when: { all: [{ feature: 'fileAnnotations', op: 'has', value: 'liveStreaming' }, KNOWN_OR_RECIRCULATING] },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'new-material-child',
      description: 'New material (first seen, on no list, not recirculating) of a child under 12: a child possibly being abused now.',
      source: 'ICAC (4) home-made images of children; VizX2: unknown material first; domain.md §10 new production, unidentified child',
      when: { all: [{ feature: 'hash.newMaterial', op: 'true' }, CHILD_UNDER_12] },
      // High, not very high: about half of all minor victims are 12 or under (domain.md §3), so
      // under 12 alone does not single a report out; it is strong enough to outweigh any label.
      effect: { add: 'harm', value: 30 },
    },
    {
      id: 'new-material-very-young',
      description: 'New material of a child of five or under, or an infant: two "very high" factors together.',
      source: 'domain.md §5.5 new material and very young victim (infant, under 5), each very high; IJM raids (infants rescued)',
      when: {
        all: [
          { feature: 'hash.newMaterial', op: 'true' },
          {
            any: [
              { feature: 'victimMinAge', op: '<=', value: 5 },
              { feature: 'fileAnnotations', op: 'has', value: 'infant' },
            ],
          },
        ],
      },
      effect: { add: 'harm', value: 45 },
    },
    {
      id: 'new-material',
      description: 'New material, whatever the age: an unidentified child may be in it.',
      source: 'VizX2: unknown material first; domain.md §10 (no list match, no prior sighting: promote)',
      when: { feature: 'hash.newMaterial', op: 'true' },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'new-material-prepubescent',
      description: 'New material classified A1 or A2 (prepubescent, in the common reading).',
      source: 'Industry classification (A = prepubescent, common reading, unverified: domain.md §4.2); VizX2 unknown first',
      when: {
        all: [
          { feature: 'industryClassifications', op: 'hasAny', value: ['A1', 'A2'] },
          { feature: 'hash.newMaterial', op: 'true' },
        ],
      },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'infant',
      description: 'A file is annotated infant or a victim is under 3.',
      source: 'NCMEC file labels (infant); domain.md §5.5 very young victim',
      when: {
        any: [
          { feature: 'fileAnnotations', op: 'has', value: 'infant' },
          { feature: 'victimMinAge', op: '<', value: 3 },
        ],
      },
      effect: { add: 'harm', value: 20 },
    },
    {
      id: 'young-victim',
      description: 'A named victim is 12 or younger.',
      source: 'CPORT: interest in younger children; domain.md §3 (half of minor victims are 12 or under)',
      when: { feature: 'victimMinAge', op: '<=', value: 12 },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'sadistic',
      description: 'Sadistic, violent or physical-harm content.',
      source: 'NCMEC file labels; ICAC (5) sadistic traders',
      when: {
        any: [
          { feature: 'annotations', op: 'has', value: 'sadisticOnlineExploitation' },
          { feature: 'fileAnnotations', op: 'hasAny', value: ['physicalHarm', 'violenceGore', 'bestiality'] },
        ],
      },
      effect: { add: 'harm', value: 20 },
    },
    {
      id: 'access-to-children',
      description: "A victim shares the reported user's surname: a child in the household.",
      source: 'KIRAT step 2 access to children; NCMEC 2023 offender relationships (domain.md §3, §5.2)',
      when: { feature: 'victimSharesSurname', op: 'true' },
      effect: { add: 'harm', value: 15 },
    },
    {
      id: 'hands-on',
      description: 'Incident type molestation or sex tourism: contact offending.',
      source: 'ICAC research: contact offenders; NCMEC incident types',
      when: { feature: 'incidentCategory', op: 'in', value: ['molestation', 'tourism'] },
      effect: { add: 'harm', value: 30 },
    },
    {
      id: 'trafficking',
      description: 'Incident type child sex trafficking.',
      source: 'NCMEC incident types; ICAC (5) commercial exploitation',
      when: { feature: 'incidentCategory', op: '=', value: 'trafficking' },
      effect: { add: 'harm', value: 15 },
    },
    {
      id: 'enticement-minor',
      description: 'Enticement of a named minor.',
      source: 'OJP: contact-driven solicitors; ICAC (3) aggressive soliciting',
      when: {
        all: [
          { feature: 'incidentCategory', op: '=', value: 'enticement' },
          { feature: 'intendedMinorCount', op: '>', value: 0 },
        ],
      },
      effect: { add: 'harm', value: 12 },
    },
    {
      id: 'prior-reports-cited',
      description: 'The report cites earlier CyberTipline reports on this user.',
      source: 'CPORT/KIRAT: prior offending; AviaTor: user reported before',
      when: { feature: 'priorReportsCited', op: '>', value: 0 },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'baseline-csam',
      description: 'A reportable incident with files that do not only recirculate: base harm.',
      source: 'NCMEC incident types; ICAC (6) other traders; VizX2: a report is classed by its files',
      when: {
        all: [
          { feature: 'fileCount', op: '>', value: 0 },
          {
            any: [
              { feature: 'hash.recirculating', op: 'false' },
              { feature: 'hash.newMaterial', op: 'true' },
            ],
          },
        ],
      },
      effect: { add: 'harm', value: 15 },
    },
    // --- Linkage --------------------------------------------------------------------------
    {
      id: 'linked-urgent',
      description: 'Another report of the same subject shows a reasoned escalation, sextortion, livestreaming or new material of a child under 12.',
      source: 'AviaTor: link present and past reports; domain.md §6.2 promote linkage; ICAC (2) child vulnerable to a known offender',
      when: { count: 'linked', where: { feature: 'signals', op: 'hasAny', value: URGENT_LINK }, op: '>=', value: 1 },
      effect: { add: 'harm', value: 40 },
    },
    {
      id: 'linked-payments',
      description: 'The subject sends or receives flagged payments (payments stage).',
      source: 'AUSTRAC/AMLC/FINTRAC livestream payment indicators (domain.md §9)',
      when: { feature: 'subject.paymentScore', op: '>=', value: 0.5 },
      effect: { add: 'harm', value: 35 },
    },
    {
      id: 'livestream-payment',
      description:
        "The report talks about paying through an e-wallet or remittance, and its subject's other reports show livestreaming: a payment to a livestream facilitator.",
      source:
        'domain.md §5.5 livestream signs: chat negotiation, payment to a PH facilitator (very high, as livestream-negotiation); IJM; AUSTRAC/AMLC payment indicators (§9)',
      when: {
        all: [
          { feature: 'signals', op: 'has', value: 'payment-talk' },
          { feature: 'subject.signals', op: 'has', value: 'livestream' },
        ],
      },
      effect: { add: 'harm', value: 55 },
    },
    {
      id: 'linked-payment-talk',
      description: 'A linked report talks about e-wallet payments.',
      source: 'domain.md §9 payments for livestreamed abuse',
      when: { feature: 'subject.signals', op: 'has', value: 'payment-talk' },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'repeat-across-esps',
      description: 'The subject is reported by several ESPs.',
      source: 'AviaTor: repeat reports; ICAC (5) repeat traders',
      when: { feature: 'subject.esps', op: '>=', value: 2 },
      effect: { add: 'harm', value: 10 },
    },
    {
      id: 'repeat-reports',
      description: 'Earlier reports of the same subject (4 points each, at most 16).',
      source: 'AviaTor: user reported before; CPORT prior record',
      when: { feature: 'subject.priorReports', op: '>', value: 0 },
      effect: { add: 'harm', value: 4, per: 'subject.priorReports', max: 16 },
    },
    {
      id: 'linked-floor',
      description: 'A report linked to other reports of the same subject is at least STANDARD: present and past reports are worked together.',
      source: 'AviaTor: users value linking present with past reports most (annual report 2022); domain.md §6.2',
      when: { feature: 'subject.reports', op: '>=', value: 2 },
      effect: { floor: 'STANDARD' },
      outweighedBy: ['rescued-child'],
    },
    // --- What Bantay measured, and what the files show: evidence that adds up with the rest;
    // not labels, so never outweighed (a linked offender's viral file is still a viral file).
    {
      id: 'recirculating',
      description:
        "The content recirculates across reports and users (Bantay's own count) and nothing in the report is new: lowest value, its source is untraceable.",
      source: 'VizX2 viral rule (a report is classed by its most valuable file); domain.md §6.2 demote noise, §10 viral versus new',
      when: ONLY_RECIRCULATING,
      effect: { add: 'harm', value: -25 },
    },
    {
      id: 'recirculating-untraceable',
      description: 'Recirculating content, with nothing new beside it, says little about who produced it.',
      source: 'VizX2 viral rule; domain.md §6.1 (a complete report on a viral file stays low)',
      when: ONLY_RECIRCULATING,
      effect: { add: 'actionability', value: -40 },
    },
    {
      id: 'known-material',
      description: 'Only listed material (a known-hash list or an identified series) and nothing new.',
      source: 'VizX2: known material after unknown; ICSE and VICS VictimIdentified: already identified is a deconfliction signal (anchors.md; domain.md §6.2)',
      when: { feature: 'hash.novelty', op: '=', value: 'known' },
      effect: { add: 'harm', value: -10 },
    },
    {
      id: 'drawn',
      description: 'Files annotated as drawn, animated or virtual: no real child may be pictured.',
      source: 'NCMEC file annotations (animeDrawingVirtualHentai): drawn lower (domain.md §4.2)',
      when: { feature: 'fileAnnotations', op: 'has', value: 'animeDrawingVirtualHentai' },
      effect: { add: 'harm', value: -20 },
    },
    // --- Upstream labels: bounded evidence, outweighed by strong evidence -----------------
    label({
      id: 'informational',
      description: 'NCMEC marked this informational (not enough to act on, by its reading).',
      source: 'NCMEC informational reports, about half (domain.md §2.5); SIO 2024: labels applied inconsistently (domain.md §5.4, §7.6)',
      when: { feature: 'informational', op: 'true' },
      effect: { add: 'harm', value: -15 },
    }),
    label({
      id: 'esp-meme-flag',
      description: 'The ESP flagged a file as a potential meme or viral.',
      source: 'NCMEC file annotations potentialMeme, viral (domain.md §4.2); SIO 2024: meme flags applied inconsistently (§7.6)',
      when: { feature: 'fileAnnotations', op: 'hasAny', value: MEME_FLAGS },
      effect: { add: 'harm', value: -15 },
    }),
    label({
      id: 'meme-batch',
      description: 'The ESP batched this as one of many reports of a viral item.',
      source: 'NCMEC batched reports (VIRAL_POTENTIAL_MEME, 2024; domain.md §2.6, §6.2)',
      when: { feature: 'batched', op: 'true' },
      effect: { add: 'harm', value: -15 },
    }),
    label({
      id: 'spam',
      description: 'The ESP annotated the report as spam.',
      source: 'NCMEC report annotations (spam); domain.md §6.2',
      when: { feature: 'annotations', op: 'has', value: 'spam' },
      effect: { add: 'harm', value: -15 },
    }),
    label({
      id: 'minor-to-minor',
      description: 'The ESP annotated minor-to-minor interaction: safeguarding, not offender urgency.',
      source: 'NCMEC report annotations (minorToMinorInteraction); domain.md §4.2, §6.2',
      when: { feature: 'annotations', op: 'has', value: 'minorToMinorInteraction' },
      effect: { add: 'harm', value: -10 },
    }),
    {
      id: 'escalation-flag',
      description: 'The ESP flagged an escalation but gave no reason (empty, a placeholder, a yes/true or procedural words only).',
      source: 'NCMEC schema: an escalation carries its reason; SIO 2024: escalation flags applied inconsistently, some with no text (domain.md §7.6)',
      when: { feature: 'escalationReason', op: 'false' },
      effect: { add: 'harm', value: 10 },
      bound: LABEL_BOUND,
    },
    {
      id: 'ncmec-priority-1',
      description:
        'NCMEC priority 1 (commonly described as a child in imminent danger). Letter codes such as E carry no weight here: configure them on ncmecPriorityCode.',
      source: 'NCMEC priority 1-3, 1 = imminent danger (described, [W] domain.md §4.1); its code set is not public',
      when: { feature: 'ncmecPriority', op: '=', value: 1 },
      effect: { add: 'harm', value: 10 },
      bound: LABEL_BOUND,
    },
    {
      id: 'referral',
      description: 'NCMEC marked this a referral: by its reading, enough to act on.',
      source: 'NCMEC referral versus informational (domain.md §2.5); SIO 2024: labels applied inconsistently',
      when: { feature: 'referral', op: 'true' },
      effect: { add: 'actionability', value: 10 },
      bound: LABEL_BOUND,
    },
    // --- Actionability --------------------------------------------------------------------
    {
      id: 'ip-port-time',
      description: 'An IP with port and time: a subscriber request can name the user, even behind CGNAT.',
      source: 'ACCCE solvability; Europol on CGNAT (domain.md §5.2, §7.2)',
      when: { feature: 'ipPortTimeCount', op: '>', value: 0 },
      effect: { add: 'actionability', value: 35 },
    },
    {
      id: 'ip-only',
      description: 'IP addresses without port and time.',
      source: 'ACCCE solvability',
      when: {
        all: [
          { feature: 'ipEventCount', op: '>', value: 0 },
          { feature: 'ipPortTimeCount', op: '=', value: 0 },
        ],
      },
      effect: { add: 'actionability', value: 10 },
    },
    {
      id: 'cgnat-no-port',
      description: 'Carrier-grade NAT without a port: hundreds of subscribers share the address.',
      source: 'Europol on CGNAT (domain.md §7.2)',
      when: {
        all: [
          { feature: 'cgnat', op: 'true' },
          { feature: 'ipPortTimeCount', op: '=', value: 0 },
        ],
      },
      effect: { add: 'actionability', value: -10 },
    },
    {
      id: 'anonymised',
      description: 'A VPN, proxy or relay: the IP does not lead to the user.',
      source: 'CRC: 1 in 6 offenders anonymise (domain.md §7.3)',
      when: { feature: 'anonymised', op: 'true' },
      effect: { add: 'actionability', value: -15 },
    },
    {
      id: 'phone',
      description: 'A phone number of the reported user.',
      source: 'ACCCE solvability; SIO (domain.md §5.5)',
      when: { feature: 'phoneCount', op: '>', value: 0 },
      effect: { add: 'actionability', value: 25 },
    },
    {
      id: 'location',
      description: 'A location: estimated location, address, coordinates or province.',
      source: 'NCMEC: locate the user to route the report',
      when: { feature: 'hasLocation', op: 'true' },
      effect: { add: 'actionability', value: 15 },
    },
    {
      id: 'device',
      description: 'A device identifier.',
      source: 'ACCCE solvability',
      when: { feature: 'deviceCount', op: '>', value: 0 },
      effect: { add: 'actionability', value: 10 },
    },
    {
      id: 'email',
      description: 'An e-mail address of the reported user.',
      source: 'ACCCE solvability',
      when: { feature: 'emailCount', op: '>', value: 0 },
      effect: { add: 'actionability', value: 5 },
    },
    {
      id: 'viewed-by-esp',
      description: 'The ESP viewed the files: usable without a warrant (Wilson).',
      source: 'United States v. Wilson (9th Cir. 2021); SIO 2024',
      when: { feature: 'viewedFileCount', op: '>', value: 0 },
      effect: { add: 'actionability', value: 10 },
    },
    {
      id: 'philippine',
      description: 'The report concerns the Philippines: this agency can act on it.',
      source: 'Jurisdiction (domain.md §2.2, §7.5)',
      when: { feature: 'philippine', op: 'true' },
      effect: { add: 'actionability', value: 10 },
    },
    {
      id: 'third-party',
      description: 'Every reported user is a third party.',
      source: 'domain.md §6.1 actionability: not third-party',
      when: { feature: 'thirdParty', op: 'true' },
      effect: { add: 'actionability', value: -10 },
    },
    {
      id: 'preservation-near',
      description: 'The earliest preservation deadline is within 30 days: act before the data is gone.',
      source: 'US 1-year preservation (2024); RA 10175 6 months for traffic data (domain.md §6.4)',
      when: {
        all: [
          { feature: 'time.preservationDaysLeft', op: '>=', value: 0 },
          { feature: 'time.preservationDaysLeft', op: '<=', value: 30 },
        ],
      },
      effect: { add: 'actionability', value: 10 },
    },
    {
      id: 'preservation-passed',
      description: 'The preservation deadline has passed: the provider may no longer hold the data.',
      source: 'US 1-year preservation (2024); RA 10175 6 months for traffic data (domain.md §6.4)',
      when: { feature: 'time.preservationDaysLeft', op: '<', value: 0 },
      effect: { add: 'actionability', value: -20 },
    },
    // --- Deconfliction --------------------------------------------------------------------
    {
      id: 'deconflicted',
      description: 'The report or its subject is held by an active case: paused, owned by that case.',
      source: 'Deconfliction (domain.md §6.3)',
      when: {
        any: [
          { feature: 'deconflicted', op: 'true' },
          { feature: 'subject.inActiveCase', op: 'true' },
        ],
      },
      effect: { pause: true },
    },
    // --- The child is safe ----------------------------------------------------------------
    {
      id: 'rescued-child',
      description:
        'The child this report is about has been rescued (children page) and the report brings no new material since: kept, but no longer raised above LOW.',
      source: 'ICSE and VICS: an identified, safeguarded victim is a demotion signal (anchors.md); issue 21 item 2',
      when: { all: [{ feature: 'child.rescued', op: 'present' }, { not: { feature: 'hash.newMaterial', op: 'true' } }] },
      effect: { cap: 'LOW' },
    },
    // --- Another agency holds it ------------------------------------------------------------
    {
      id: 'external-case',
      description:
        'An identifier of this report or its subject is in an active case at another agency (an imported deconfliction file): call that agency before acting; its case may hold what this report lacks.',
      source:
        "Deconfliction (domain.md §6.3); ICAC Data System: deconfliction between agencies is a first-class function, at the level of identifiers (anchors.md). Another agency's case is a label: bounded evidence, never a verdict (domain.md §7.6)",
      when: { feature: 'external.case', op: 'true' },
      effect: { add: 'actionability', value: 10 },
      bound: LABEL_BOUND,
    },
    {
      id: 'external-case-pause',
      description:
        "Pause reports held by another agency's active case, as this agency's own cases are. Off by default: a case abroad does not protect a child here; enable it where agencies split the work by agreement.",
      source: 'Deconfliction: reports held by an open case are paused and name the owning unit (domain.md §6.3)',
      when: { feature: 'external.case', op: 'true' },
      effect: { pause: true },
      enabled: false,
    },
    {
      id: 'ncmec-deconfliction',
      description: "NCMEC's own deconfliction matched this report to another agency's records (LE JSON externalDeconfliction): call that agency before acting.",
      source:
        'NCMEC CyberTipline LE JSON: automatedInformation.externalDeconfliction; deconfliction between agencies (domain.md §6.3). A match NCMEC found is a label: bounded evidence, never a verdict (domain.md §7.6)',
      when: { feature: 'ncmec.externalDeconfliction', op: 'true' },
      effect: { add: 'actionability', value: 10 },
      bound: LABEL_BOUND,
    },
  ],
};

const SHIPPED_TEXTS = new Map(DEFAULT_RULESET.rules.map((r) => [r.id, r.description]));

/**
 * The catalogue key of a rule's text: its own `textKey`, else `rule.<id>` for a shipped rule whose
 * wording is unchanged; null for an agency's own wording (shown as written).
 */
export function ruleTextKey(rule: Pick<Rule, 'id' | 'description' | 'textKey'>): string | null {
  if (typeof rule.textKey === 'string' && rule.textKey) return rule.textKey;
  return SHIPPED_TEXTS.get(rule.id) === rule.description ? `rule.${rule.id}` : null;
}
