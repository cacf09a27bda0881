// The adversarial world: the stream as real NCMEC data arrives, built from the published facts
// in ../shared/docs/domain.md (§2.5, §4, §7.6, §8, §12), not from Bantay's rules. Every rate and
// its basis is listed in docs/generator.md ("The adversarial world"); values marked there as
// assumptions have no published figure. A JSON file of the same shape (`bantay generate --world
// FILE`) replaces it; `bantay generate --world adversarial --print-world` prints this one as JSON.
import type { WorldFile } from '../world-file.ts';

/** The shipped adversarial world. */
export const ADVERSARIAL_WORLD: WorldFile = {
  name: 'adversarial',
  description:
    'Product-name variants, placeholders in every kind, foreign national phones, noisy labels, known severe material, clock conventions (domain.md §2.5, §4, §7.6, §8, §12)',
  params: {
    // 2024: Meta "over 67%" of reports (§2.3); the rest scaled up from the 2023 shares.
    esps: {
      mix: {
        Facebook: 38,
        Instagram: 25,
        WhatsApp: 4.5,
        Google: 6,
        X: 3.5,
        Snapchat: 4,
        TikTok: 4.5,
        Discord: 2,
        Reddit: 1.5,
        Omegle: 0.3,
        Microsoft: 2,
        Telegram: 2,
        'Bigo Live': 2,
        Kumu: 2,
        Yahoo: 0.5,
      },
    },
    // §2.1: the REPORT Act (2024) made ESPs report enticement and trafficking; H1 2025 counts.
    incidentMix: {
      'Child Pornography (possession, manufacture, and distribution)': 0.955,
      'Online Enticement of Children for Sexual Acts': 0.03,
      'Unsolicited Obscene Material Sent to a Child': 0.004,
      'Child Sexual Molestation': 0.001,
      'Child Sex Trafficking': 0.006,
      'Misleading Words or Digital Images on the Internet': 0.002,
      'Misleading Domain Name': 0.001,
      'Child Sex Tourism': 0.0002,
    },
    informationalShare: 0.54, // §2.5: 53.9% (2020), 37–54% over 2020–2023
    viral: { batchShare: 0.3, unbatchedShare: 0.06, annotatedShare: 0.5, informationalShare: 0.7 }, // §2.6; §2.5 / §7.6 unflagged memes
    files: { photoUniqueShare: 0.53, videoUniqueShare: 0.45 }, // §2.6 (2022)
    sparse: {
      platform: 0.8,
      espService: 0.7,
      reporterEmail: 0.95,
      espIdentifier: 0.8,
      screenName: 0.6,
      profileUrl: 0.4,
      ipEvents: 0.7,
      estimatedLocation: 0.35,
    }, // §4.1, §5.4
    envelope: { noPriorityShare: 0.1, noCountryShare: 0.051 }, // §4.1 raw priority; §2.3 5.1% no country
    urgentShare: 0.0018, // §2.1: 0.18% escalated as urgent (2023)
  },
  world: {
    names: { productVariantShare: 0.35, companyVariantShare: 0.5 },
    subjects: {
      accountOnlyPer10k: 6,
      accountOnlyReportsMin: 2,
      accountOnlyReportsMax: 4,
      profileUrlOnlyShare: 0.35,
      ipPortTimeOnlyPer10k: 4,
      foreignPhonePer10k: 4,
      foreignPhoneReportsMin: 2,
      foreignPhoneReportsMax: 3,
      foreignPhoneCountries: { US: 0.35, GB: 0.2, AU: 0.15, NG: 0.2, AR: 0.1 },
      phoneHintMix: { 'routed-country': 0.15, 'esp-location': 0.3, 'reporter-country': 0.1, 'ip-country': 0.25, none: 0.2 },
    },
    urgent: { newMaterialQuietPer10k: 4, sextortionChatOnlyPer10k: 2, livestreamSparsePerCluster: 1 },
    decoys: { knownSeverePer10k: 10, liveOnViralPer10k: 10, emptyEscalationPer10k: 20 },
    traps: {
      placeholderPer10kPerKind: 15,
      placeholderOnPlantShare: 0.1,
      sharedMailboxPer10k: 15,
      sharedMailboxReportsMin: 8,
      sharedMailboxReportsMax: 25,
      idCollisionPer10k: 3,
      handleCollisionPer10k: 5,
      ipPortDecoyPer10k: 8,
      ipPortDecoyMinutesMin: 2,
      ipPortDecoyMinutesMax: 30,
      espContactShare: 0.9,
      espContactInPersonShare: 0.01,
    },
    labels: {
      urgentInformationalShare: 0.25,
      noiseReferralShare: 0.1,
      urgentPriorityShuffleShare: 0.5,
      noisePriorityOneShare: 0.02,
      memeFlagOnUniqueShare: 0.03,
      urgentMemeFlagShare: 0.1,
    },
    clocks: { conventionMix: { utc: 0.5, offset: 0.3, zoneless: 0.2 }, consistencyShare: 0.9, maxSkewSeconds: 5 },
    surface: { booleanDigitShare: 0.15, annotationShuffleShare: 0.5, nonIsoCountryShare: 0.01 },
  },
};
