// Reports carry no ESP field; when neither the platform nor the reported user's service names
// it, the reporter's e-mail domain is the last clue. Known reporting domains map to the names
// the platforms themselves use, so one ESP is not counted under several spellings.
const BY_DOMAIN: Readonly<Record<string, string>> = {
  'facebook.com': 'Facebook',
  'fb.com': 'Facebook',
  'meta.com': 'Facebook',
  'instagram.com': 'Instagram',
  'whatsapp.com': 'WhatsApp',
  'google.com': 'Google',
  'youtube.com': 'Google',
  'x.com': 'X',
  'twitter.com': 'X',
  'snap.com': 'Snapchat',
  'snapchat.com': 'Snapchat',
  'tiktok.com': 'TikTok',
  'bytedance.com': 'TikTok',
  'discord.com': 'Discord',
  'discordapp.com': 'Discord',
  'reddit.com': 'Reddit',
  'redditmail.com': 'Reddit',
  'omegle.com': 'Omegle',
  'microsoft.com': 'Microsoft',
  'skype.com': 'Microsoft',
  'telegram.org': 'Telegram',
  'bigo.tv': 'Bigo Live',
  'kumu.ph': 'Kumu',
  'yahoo.com': 'Yahoo',
  'yahooinc.com': 'Yahoo',
};

/** The ESP a reporting e-mail domain belongs to (subdomains included), or the domain itself. */
export function espFromDomain(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  for (let rest = d; rest.includes('.'); rest = rest.slice(rest.indexOf('.') + 1)) {
    const name = BY_DOMAIN[rest];
    if (name) return name;
  }
  return d;
}
