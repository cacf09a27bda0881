// Electronic service providers that report to NCMEC, with how each writes its reports. Shares are
// NCMEC's 2023 reports by ESP (domain.md §2.3); "others small" fills the remaining 3%. How each ESP
// writes user ids and whether it logs source ports are assumptions (domain.md §7.2: "port from
// some ESPs only"), all overridable through the parameters.

/** The shape of an ESP's account ids. */
export type UserIdStyle = 'meta' | 'numeric' | 'snowflake' | 'alnum' | 'email-like';

/** How one ESP appears in a report. */
export interface EspProfile {
  /** Written in incidentSummary/platform and personOrUserReported/espService. */
  name: string;
  /** The reporting company, in reporter/companyTemplate. */
  company: string;
  /** The domain of the reporter's e-mail (the reader's last resort for the ESP). */
  reporterDomain: string;
  /** How account ids look. */
  idStyle: UserIdStyle;
  /** Profile URL prefix, or '' when the service has no public profiles. */
  profileUrl: string;
  /** The chat client named in chatImIncident, when the service has chat. */
  chatClient: string;
}

/** Every ESP the generator knows, by name. */
export const ESPS: Readonly<Record<string, EspProfile>> = {
  Facebook: {
    name: 'Facebook',
    company: 'Meta Platforms, Inc.',
    reporterDomain: 'facebook.com',
    idStyle: 'meta',
    profileUrl: 'https://www.facebook.com/profile.php?id=',
    chatClient: 'Messenger',
  },
  Instagram: {
    name: 'Instagram',
    company: 'Meta Platforms, Inc.',
    reporterDomain: 'instagram.com',
    idStyle: 'numeric',
    profileUrl: 'https://www.instagram.com/',
    chatClient: 'Instagram Direct',
  },
  WhatsApp: { name: 'WhatsApp', company: 'WhatsApp LLC', reporterDomain: 'whatsapp.com', idStyle: 'numeric', profileUrl: '', chatClient: 'WhatsApp' },
  Google: { name: 'Google', company: 'Google LLC', reporterDomain: 'google.com', idStyle: 'numeric', profileUrl: '', chatClient: 'Google Chat' },
  X: { name: 'X', company: 'X Corp.', reporterDomain: 'x.com', idStyle: 'snowflake', profileUrl: 'https://x.com/', chatClient: 'X Direct Messages' },
  Snapchat: {
    name: 'Snapchat',
    company: 'Snap Inc.',
    reporterDomain: 'snap.com',
    idStyle: 'alnum',
    profileUrl: 'https://www.snapchat.com/add/',
    chatClient: 'Snapchat',
  },
  TikTok: {
    name: 'TikTok',
    company: 'TikTok Inc.',
    reporterDomain: 'tiktok.com',
    idStyle: 'snowflake',
    profileUrl: 'https://www.tiktok.com/@',
    chatClient: 'TikTok Messages',
  },
  Discord: { name: 'Discord', company: 'Discord Inc.', reporterDomain: 'discord.com', idStyle: 'snowflake', profileUrl: '', chatClient: 'Discord' },
  Reddit: {
    name: 'Reddit',
    company: 'Reddit, Inc.',
    reporterDomain: 'reddit.com',
    idStyle: 'alnum',
    profileUrl: 'https://www.reddit.com/user/',
    chatClient: 'Reddit Chat',
  },
  Omegle: { name: 'Omegle', company: 'Omegle.com LLC', reporterDomain: 'omegle.com', idStyle: 'alnum', profileUrl: '', chatClient: 'Omegle' },
  Microsoft: {
    name: 'Microsoft',
    company: 'Microsoft Corporation',
    reporterDomain: 'microsoft.com',
    idStyle: 'email-like',
    profileUrl: '',
    chatClient: 'Skype',
  },
  Telegram: {
    name: 'Telegram',
    company: 'Telegram Messenger Inc.',
    reporterDomain: 'telegram.org',
    idStyle: 'numeric',
    profileUrl: 'https://t.me/',
    chatClient: 'Telegram',
  },
  'Bigo Live': {
    name: 'Bigo Live',
    company: 'BIGO Technology Pte. Ltd.',
    reporterDomain: 'bigo.tv',
    idStyle: 'numeric',
    profileUrl: 'https://www.bigo.tv/',
    chatClient: 'Bigo Live',
  },
  Kumu: { name: 'Kumu', company: 'Kumu, Inc.', reporterDomain: 'kumu.ph', idStyle: 'alnum', profileUrl: 'https://www.kumu.ph/', chatClient: 'Kumu' },
  Yahoo: { name: 'Yahoo', company: 'Yahoo Inc.', reporterDomain: 'yahooinc.com', idStyle: 'email-like', profileUrl: '', chatClient: 'Yahoo Mail' },
};

/** Profile used for an ESP name the user adds through the parameters. */
export function espProfile(name: string): EspProfile {
  const known = ESPS[name];
  if (known) return known;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'esp';
  return { name, company: name, reporterDomain: `${slug}.com`, idStyle: 'numeric', profileUrl: '', chatClient: name };
}
