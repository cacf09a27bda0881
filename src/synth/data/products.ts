// How the real world writes what the standard generator writes one way: product and company names
// of one account system, profile URLs carrying an id or a handle, each ESP's own contact block,
// placeholders in every identifier kind, shared mailboxes, escalation boilerplate, time
// conventions (domain.md §4.3, §7.1, §7.6). Used only by the adversarial world. Addresses and
// phone numbers here are synthetic: contact phones use the 555-01xx range reserved for fiction.

/**
 * Product and company names under which one account system's ids are written (domain.md §7.6:
 * "one company's products share one account space"; "product names arrive with variants"). The
 * key is the generator's ESP name, whose ids these are.
 */
export const PRODUCT_NAMES: Readonly<Record<string, readonly string[]>> = {
  Facebook: [
    'Facebook',
    'facebook',
    'FACEBOOK',
    'Facebook Lite',
    'FB Lite',
    'FB',
    'fb',
    'Messenger',
    'Facebook Messenger',
    'Messenger Lite',
    'Facebook Live',
    'facebook live',
    'Facebook, Inc.',
    'Meta - Facebook',
  ],
  Instagram: [
    'Instagram',
    'instagram',
    'INSTAGRAM',
    'Instagram Live',
    'instagram live',
    'IG',
    'IG Direct',
    'Instagram Direct',
    'Instagram, Inc.',
    'Instagram LLC',
    'Threads',
    'Meta - Instagram',
  ],
  WhatsApp: ['WhatsApp', 'Whatsapp', 'WHATSAPP', 'WhatsApp Business', 'WhatsApp LLC', 'WhatsApp Messenger'],
  Google: ['Google', 'YouTube', 'Youtube', 'Google Drive', 'Google Photos', 'Gmail', 'Google LLC', 'Google Chat'],
  X: ['X', 'Twitter', 'twitter', 'X (formerly Twitter)', 'X Corp.', 'Twitter, Inc.'],
  Snapchat: ['Snapchat', 'snapchat', 'Snap', 'Snap Inc.', 'Snapchat Stories'],
  TikTok: ['TikTok', 'Tiktok', 'TIKTOK', 'TikTok Live', 'TikTok Lite', 'TikTok Inc.'],
  Discord: ['Discord', 'discord', 'Discord Inc.', 'Discord (DM)'],
  Reddit: ['Reddit', 'reddit', 'Reddit, Inc.', 'Reddit Chat'],
  Omegle: ['Omegle', 'omegle', 'Omegle.com'],
  Microsoft: ['Microsoft', 'Skype', 'skype', 'Outlook.com', 'Xbox Live', 'OneDrive', 'Microsoft Corporation'],
  Telegram: ['Telegram', 'telegram', 'Telegram Messenger', 'Telegram FZ-LLC'],
  'Bigo Live': ['Bigo Live', 'BIGO LIVE', 'bigo live', 'Bigo', 'BIGO Technology'],
  Kumu: ['Kumu', 'kumu', 'KUMU', 'Kumu Live'],
  Yahoo: ['Yahoo', 'Yahoo Mail', 'yahoo', 'Yahoo Inc.'],
};

/** The ways one company writes its name in companyTemplate (case, punctuation, "Inc."/"LLC", old names). */
export const COMPANY_NAMES: Readonly<Record<string, readonly string[]>> = {
  Facebook: ['Meta Platforms, Inc.', 'Meta Platforms Inc', 'META PLATFORMS, INC.', 'Facebook, Inc.', 'Meta'],
  Instagram: ['Meta Platforms, Inc.', 'Meta Platforms Inc.', 'Instagram, LLC', 'Meta'],
  WhatsApp: ['WhatsApp LLC', 'WhatsApp, LLC', 'Meta Platforms, Inc.'],
  Google: ['Google LLC', 'Google, LLC', 'GOOGLE LLC'],
  X: ['X Corp.', 'X Corp', 'Twitter, Inc.'],
  Snapchat: ['Snap Inc.', 'Snap, Inc.', 'SNAP INC'],
  TikTok: ['TikTok Inc.', 'TikTok, Inc.', 'TikTok Pte. Ltd.'],
  Discord: ['Discord Inc.', 'Discord, Inc.'],
  Reddit: ['Reddit, Inc.', 'Reddit Inc'],
  Omegle: ['Omegle.com LLC', 'Omegle.com, LLC'],
  Microsoft: ['Microsoft Corporation', 'Microsoft Corp.', 'MICROSOFT CORPORATION'],
  Telegram: ['Telegram Messenger Inc.', 'Telegram FZ-LLC'],
  'Bigo Live': ['BIGO Technology Pte. Ltd.', 'Bigo Technology Pte Ltd'],
  Kumu: ['Kumu, Inc.', 'Kumu Inc'],
  Yahoo: ['Yahoo Inc.', 'Yahoo, Inc.', 'Oath Inc.'],
};

/** A profile URL form: `{id}` or `{handle}` is replaced; `carries` says which one it holds. */
export interface UrlForm {
  template: string;
  carries: 'id' | 'handle';
}

/**
 * Profile URL forms per ESP (domain.md §7.6: `facebook.com/profile.php?id=…`,
 * `instagram.com/<handle>`, `tiktok.com/@<handle>`; x.com and others as the issue names them).
 */
export const PROFILE_URLS: Readonly<Record<string, readonly UrlForm[]>> = {
  Facebook: [
    { template: 'https://www.facebook.com/profile.php?id={id}', carries: 'id' },
    { template: 'https://m.facebook.com/profile.php?id={id}&ref=content_filter', carries: 'id' },
    { template: 'facebook.com/profile.php?id={id}', carries: 'id' },
    { template: 'https://web.facebook.com/profile.php?id={id}&_rdc=1&_rdr', carries: 'id' },
    { template: 'https://www.facebook.com/{handle}', carries: 'handle' },
  ],
  Instagram: [
    { template: 'https://www.instagram.com/{handle}/', carries: 'handle' },
    { template: 'instagram.com/{handle}', carries: 'handle' },
    { template: 'https://instagram.com/{handle}?igsh=MXRmZ2V6cXk0', carries: 'handle' },
    { template: 'https://www.instagram.com/{handle}/?hl=en', carries: 'handle' },
  ],
  TikTok: [
    { template: 'https://www.tiktok.com/@{handle}', carries: 'handle' },
    { template: 'tiktok.com/@{handle}?lang=en', carries: 'handle' },
    { template: 'https://m.tiktok.com/@{handle}', carries: 'handle' },
  ],
  X: [
    { template: 'https://x.com/{handle}', carries: 'handle' },
    { template: 'https://twitter.com/{handle}', carries: 'handle' },
    { template: 'twitter.com/{handle}', carries: 'handle' },
    { template: 'https://mobile.twitter.com/{handle}', carries: 'handle' },
  ],
  Snapchat: [{ template: 'https://www.snapchat.com/add/{handle}', carries: 'handle' }],
  Telegram: [{ template: 'https://t.me/{handle}', carries: 'handle' }],
  Reddit: [
    { template: 'https://www.reddit.com/user/{handle}', carries: 'handle' },
    { template: 'reddit.com/u/{handle}', carries: 'handle' },
  ],
  Kumu: [{ template: 'https://www.kumu.ph/{handle}', carries: 'handle' }],
};

/** What an ESP writes in the reporter section of every report it files. */
export interface EspContact {
  /** The reporting contact mailbox. */
  email: string;
  /** The 24-hour law-enforcement line, as the ESP writes it. */
  phone: string;
  /** The company's country (the reporter's address; domain.md §4.2 reporter). */
  country: string;
}

/** Each ESP's own contact block (reportingPerson, contactPerson, companyTemplate; NCMEC XSD reporter). */
export const ESP_CONTACTS: Readonly<Record<string, EspContact>> = {
  Facebook: { email: 'records@fb.com', phone: '+1 650 555 0134', country: 'US' },
  Instagram: { email: 'records@fb.com', phone: '+1 650 555 0134', country: 'US' },
  WhatsApp: { email: 'records@whatsapp.com', phone: '+1 650 555 0188', country: 'US' },
  Google: { email: 'lis-ncmec@google.com', phone: '(650) 555-0172', country: 'US' },
  X: { email: 'lerequests@x.com', phone: '+1 415 555 0119', country: 'US' },
  Snapchat: { email: 'lawenforcement@snapchat.com', phone: '310-555-0153', country: 'US' },
  TikTok: { email: 'lawenforcement@tiktok.com', phone: '+1 888 555 0107', country: 'US' },
  Discord: { email: 'lawenforcement@discord.com', phone: '+1 415 555 0166', country: 'US' },
  Reddit: { email: 'legal@reddit.com', phone: '+1 415 555 0125', country: 'US' },
  Omegle: { email: 'safety@omegle.com', phone: '+1 802 555 0141', country: 'US' },
  Microsoft: { email: 'ncmecreports@microsoft.com', phone: '+1 425 555 0190', country: 'US' },
  Telegram: { email: 'abuse@telegram.org', phone: '+971 4 555 0100', country: 'AE' },
  'Bigo Live': { email: 'report@bigo.tv', phone: '+65 6555 0142', country: 'SG' },
  Kumu: { email: 'safety@kumu.ph', phone: '(02) 8555 0138', country: 'PH' },
  Yahoo: { email: 'ncmec@yahooinc.com', phone: '+1 408 555 0112', country: 'US' },
};

/** A contact block for an ESP the user adds through the parameters. */
export function espContact(esp: string, domain: string): EspContact {
  return ESP_CONTACTS[esp] ?? { email: `cybertips@${domain}`, phone: '+1 202 555 0100', country: 'US' };
}

/** The identifier kinds placeholders appear in (domain.md §7.6: "placeholders are everywhere and in every field"). */
export const PLACEHOLDER_KINDS = ['esp-user-id', 'screen-name', 'phone', 'email', 'device-id', 'ip', 'wallet'] as const;

/** One identifier kind that carries placeholders. */
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

/**
 * Placeholder values by kind: all zeros, all nines, one repeated digit, "unknown"-like words in
 * English and Filipino ("wala": none), test addresses, zeroed device and advertising ids (an
 * advertising id reads all zeros when the user limits tracking), unroutable and private IPs, the
 * Ethereum zero address (domain.md §7.1 "Never" keys, §7.6).
 */
export const PLACEHOLDERS_BY_KIND: Readonly<Record<PlaceholderKind, readonly string[]>> = {
  'esp-user-id': ['0', '-1', '999999999', '9999999999', 'N/A', 'none', 'unknown', 'null', 'test', 'wala', '00000000'],
  'screen-name': ['N/A', 'n/a', 'none', 'None', 'unknown', 'Unknown', 'wala', 'Wala', 'test', 'null', 'user', '-'],
  phone: ['0000000000', '00000000000', '09000000000', '09999999999', '1111111111', '9999999999', '+630000000000', '0', 'N/A', 'none', 'wala', '1234567890'],
  email: [
    'test@test.com',
    'none@none.com',
    'na@na.com',
    'noemail@gmail.com',
    'no@email.com',
    'unknown@unknown.com',
    'wala@wala.com',
    'a@a.com',
    'test@gmail.com',
    'email@email.com',
  ],
  'device-id': ['000000000000000', '00000000-0000-0000-0000-000000000000', '0', 'unknown', 'N/A', 'null'],
  ip: ['0.0.0.0', '127.0.0.1', '255.255.255.255', '192.168.1.1', '10.0.0.1'],
  wallet: ['0x0000000000000000000000000000000000000000', '09000000000', 'N/A'],
};

/**
 * Mailboxes and lines many unrelated people write as their own: internet cafés ("pisonet"),
 * school computer rooms, phone repair and load shops (domain.md §7.1: "the same phone on 400
 * reports is a hub (a shop, …)"). `{n}` is replaced by a number so that each shop is its own value.
 */
export const SHARED_MAILBOXES = [
  'pisonet.tondo{n}@gmail.com',
  'netcafe.cebu{n}@yahoo.com',
  'ict.lab.nhs{n}@gmail.com',
  'cellshop.repair{n}@gmail.com',
  'loading.station{n}@yahoo.com',
  'compshop.printing{n}@gmail.com',
] as const;

/** ESP escalation text that says nothing (domain.md §7.6: "some 'escalated' reports carry no escalation text at all"). */
export const ESCALATION_BOILERPLATE = [
  '',
  ' ',
  'N/A',
  'n/a',
  'escalated per policy',
  'Escalated per policy.',
  'Escalated',
  'auto-escalation',
  'See report.',
  '-',
  'true',
] as const;

/** ESP clock conventions (domain.md §7.6: "times arrive in UTC, with offsets, or local without a zone"). */
export type ClockConvention = 'utc' | 'offset' | 'zoneless';

/** The home UTC offset of each ESP's servers, for offsets and zoneless local times (assumption; fixed, no daylight saving). */
export const ESP_HOME_OFFSET: Readonly<Record<string, string>> = {
  Facebook: '-08:00',
  Instagram: '-08:00',
  WhatsApp: '-08:00',
  Google: '-08:00',
  X: '-08:00',
  Snapchat: '-08:00',
  TikTok: '-05:00',
  Discord: '-08:00',
  Reddit: '-08:00',
  Omegle: '-05:00',
  Microsoft: '-08:00',
  Telegram: '+04:00',
  'Bigo Live': '+08:00',
  Kumu: '+08:00',
  Yahoo: '-05:00',
};
