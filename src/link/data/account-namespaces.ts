// The built-in account-namespace table (docs/linking.md §1.1). Each product row says which account
// system its user ids and screen names live in, with the published source for it. The rule when a
// source is missing or unclear: keep the namespaces apart (a missed link is recoverable, a false
// one merges strangers). An agency adds or corrects rows with `bantay link namespaces import FILE`
// (same shape as this table, checked on import).

import type { NamespaceTable } from '../namespace-table.ts';

// The first path segment of a profile URL is a handle only when it is not one of the site's own
// pages; these are the site sections that appear in shared links.
const FB_RESERVED =
  'profile\\.php|people|pages|pg|groups|events|photo|photos|photo\\.php|permalink\\.php|story\\.php|watch|reel|reels|videos|video\\.php|share|sharer|sharer\\.php|login|login\\.php|marketplace|messages|hashtag|gaming|help|settings|home\\.php|friends|notifications|search|l\\.php|dialog|plugins|policies|privacy|legal|business|ads|fundraisers|stories|live|media|public|recover|checkpoint|bookmarks|saved|memories|groups|places|profile|p';
const IG_RESERVED = 'p|reel|reels|tv|stories|explore|accounts|direct|about|legal|developer|web|challenge|emails|session|oauth|ar|create|privacy|terms';
const X_RESERVED =
  'i|home|search|explore|hashtag|intent|share|settings|messages|notifications|compose|login|logout|signup|tos|privacy|about|jobs|download|account|following|followers';
const TG_RESERVED = 'joinchat|addstickers|addemoji|addlist|share|proxy|socks|iv|login|c|s|boost|contact|setlanguage|addtheme|bg|invoice|m';
const END = '(?:[/?#]|$)';
// The end of a query parameter's value.
const END_Q = '(?:[&#]|$)';

/** Products, their account systems and their profile URL forms; companies with their own domains. */
export const BUILT_IN_NAMESPACES: NamespaceTable = {
  products: [
    {
      names: [
        'Facebook',
        'FB',
        'Facebook Lite',
        'FB Lite',
        'Facebook Messenger',
        'FB Messenger',
        'Messenger',
        'Messenger Lite',
        'Facebook Live',
        'FB Live',
        'Facebook Watch',
        'Facebook Dating',
        'Facebook Marketplace',
        'Facebook Gaming',
        'Facebook Groups',
        'Facebook Pages',
        'facebook.com',
        'fb.com',
      ],
      ids: 'facebook',
      fold: ['case', 'dots'],
      company: 'meta',
      profiles: [
        {
          hosts: [
            'facebook.com',
            'm.facebook.com',
            'mbasic.facebook.com',
            'web.facebook.com',
            'touch.facebook.com',
            'mobile.facebook.com',
            'fb.com',
            'm.fb.com',
          ],
          path: `^/profile\\.php\\?(?:[^#]*&)?id=(?<id>\\d{5,20})${END_Q}`,
        },
        {
          hosts: [
            'facebook.com',
            'm.facebook.com',
            'mbasic.facebook.com',
            'web.facebook.com',
            'touch.facebook.com',
            'mobile.facebook.com',
            'fb.com',
            'm.fb.com',
          ],
          path: `^/people/[^/]+/(?<id>\\d{5,20})${END}`,
        },
        {
          hosts: [
            'facebook.com',
            'm.facebook.com',
            'mbasic.facebook.com',
            'web.facebook.com',
            'touch.facebook.com',
            'mobile.facebook.com',
            'fb.com',
            'm.fb.com',
            'm.me',
            'messenger.com',
          ],
          path: `^/(?:t/)?(?<id>\\d{5,20})${END}`,
        },
        {
          hosts: [
            'facebook.com',
            'm.facebook.com',
            'mbasic.facebook.com',
            'web.facebook.com',
            'touch.facebook.com',
            'mobile.facebook.com',
            'fb.com',
            'm.fb.com',
            'm.me',
            'messenger.com',
          ],
          path: `^/(?:t/)?(?!(?:${FB_RESERVED})${END})(?<handle>[A-Za-z0-9.]{5,50})${END}`,
        },
      ],
      note: "Facebook, Facebook Lite and Messenger use one Facebook account; an id names one object in Facebook's graph. Messenger has required a Facebook account for new users since 2019 (Messenger-only accounts made before then keep ids in the same graph). Usernames ignore case and periods.",
      sources: [
        'https://developers.facebook.com/docs/graph-api/overview (every node has a unique id)',
        'https://www.facebook.com/help/105399436216001 (usernames: at least 5 characters, A–Z, 0–9 and periods; periods and capitals do not tell usernames apart)',
        'https://xitetech.com/facebook-account-is-now-mandatory-to-sign-up-for-messenger-14619 (Facebook account required for new Messenger users, 2019)',
      ],
    },
    {
      names: [
        'Instagram',
        'IG',
        'Insta',
        'Instagram Lite',
        'Instagram Direct',
        'IG Direct',
        'Instagram Live',
        'IG Live',
        'Instagram Reels',
        'Instagram Stories',
        'instagram.com',
        'instagr.am',
      ],
      ids: 'instagram',
      company: 'meta',
      profiles: [
        { hosts: ['instagram.com', 'm.instagram.com', 'instagr.am'], path: `^/stories/(?<handle>[A-Za-z0-9._]{1,30})${END}` },
        { hosts: ['instagram.com', 'm.instagram.com', 'instagr.am'], path: `^/(?!(?:${IG_RESERVED})${END})(?<handle>[A-Za-z0-9._]{1,30})${END}` },
        { hosts: ['ig.me'], path: `^/m/(?<handle>[A-Za-z0-9._]{1,30})${END}` },
      ],
      note: "Instagram accounts are not Facebook accounts: an Instagram user id is a different number from the same person's Facebook id (Accounts Center links them but keeps both). Direct, Live, Reels and Lite are the same Instagram account. Usernames are letters, digits, periods and underscores, compared without case.",
      sources: ['https://developers.facebook.com/docs/instagram-platform (Instagram users have their own ids, not Facebook user ids)'],
    },
    {
      names: ['Threads', 'Threads from Instagram', 'Instagram Threads', 'threads.net', 'threads.com'],
      ids: 'threads',
      company: 'meta',
      profiles: [{ hosts: ['threads.net', 'threads.com'], path: `^/@(?<handle>[A-Za-z0-9._]{1,30})${END}` }],
      note: 'A Threads profile is part of an Instagram account, but whether reports give the Instagram id or a Threads id, and whether the Threads handle may differ from the Instagram username, is not settled in any source found: kept apart until it is.',
      sources: [
        'https://www.republicworld.com/technology-news/social-media-news/deleting-threads-meta-has-catch-your-entire-instagram-will-be-deleted-articleshow.html (quotes Meta: "Threads is a service provided by Instagram and is part of the Instagram platform"; says a Threads handle can differ)',
      ],
    },
    {
      names: ['WhatsApp', 'WA', 'WhatsApp Messenger', 'WhatsApp Business', 'WA Business', 'whatsapp.com', 'wa.me'],
      ids: 'whatsapp',
      idIsPhone: true,
      company: 'meta',
      profiles: [
        { hosts: ['wa.me'], path: `^/(?<phone>\\d{7,15})${END}` },
        { hosts: ['api.whatsapp.com', 'whatsapp.com'], path: `^/send/?\\?(?:[^#]*&)?phone=\\+?(?<phone>\\d{7,15})${END_Q}` },
      ],
      note: 'A WhatsApp (and WhatsApp Business) account is registered to a phone number, and click-to-chat links carry that number in international form: a WhatsApp id that is a valid international number is also that phone.',
      sources: [
        'https://www.instantmessageconnector.com/blog/whatsapp-click-to-chat-links-explained/ (wa.me/<number> and api.whatsapp.com/send?phone=<number>, full international format)',
      ],
    },
    {
      names: ['Messenger Kids'],
      ids: 'messenger-kids',
      company: 'meta',
      note: 'Accounts a parent sets up; no source says whether their ids are Facebook ids: kept apart.',
    },
    {
      names: ['Meta Quest', 'Oculus', 'Horizon Worlds', 'Meta Horizon', 'Meta Horizon Worlds'],
      ids: 'meta-horizon',
      company: 'meta',
      note: 'Meta accounts for VR (separate from Facebook accounts since 2022): kept apart.',
    },
    {
      names: [
        'Google',
        'Google Account',
        'Gmail',
        'Google Mail',
        'Google Drive',
        'Google Photos',
        'Google Chat',
        'Google Hangouts',
        'Hangouts',
        'Google Meet',
        'Google Duo',
        'Blogger',
        'Google Play',
        'Google Voice',
      ],
      ids: 'google',
      company: 'google',
      note: 'One Google Account serves Gmail, Drive, Photos, YouTube and the rest; its id is the same whichever product saw it.',
      sources: ['https://support.google.com/accounts/answer/27441 (one Google Account for Google products)'],
    },
    {
      names: ['YouTube', 'YT', 'YouTube Shorts', 'YouTube Live', 'youtube.com', 'youtu.be'],
      ids: 'google',
      handles: 'youtube',
      company: 'google',
      profiles: [
        { hosts: ['youtube.com', 'm.youtube.com'], path: `^/@(?<handle>[A-Za-z0-9._-]{3,30})${END}` },
        { hosts: ['youtube.com', 'm.youtube.com'], path: `^/channel/(?<id>UC[A-Za-z0-9_-]{22})${END}` },
      ],
      note: "YouTube is used with a Google Account (ids in the google namespace; a channel id, UC…, names one channel and cannot clash with an account number). @handles are YouTube's own: 3 to 30 characters, unique per channel.",
      sources: ['https://support.google.com/accounts/answer/27441', 'https://sunnysidesocialmedia.com/youtube-handles-2022 (handles: 3–30 characters, unique)'],
    },
    {
      names: ['X', 'Twitter', 'X (formerly Twitter)', 'X Twitter', 'Twitter X', 'x.com', 'twitter.com', 'X Spaces', 'Twitter Spaces'],
      ids: 'x',
      company: 'x',
      profiles: [
        { hosts: ['x.com', 'twitter.com', 'mobile.twitter.com', 'm.twitter.com', 'mobile.x.com'], path: `^/i/user/(?<id>\\d{1,20})${END}` },
        {
          hosts: ['x.com', 'twitter.com', 'mobile.twitter.com', 'm.twitter.com', 'mobile.x.com'],
          path: `^/intent/user\\?(?:[^#]*&)?user_id=(?<id>\\d{1,20})${END_Q}`,
        },
        {
          hosts: ['x.com', 'twitter.com', 'mobile.twitter.com', 'm.twitter.com', 'mobile.x.com'],
          path: `^/(?!(?:${X_RESERVED})${END})(?<handle>[A-Za-z0-9_]{1,15})${END}`,
        },
      ],
      note: 'Twitter was renamed X in 2023: one account system. Usernames: letters, digits and underscores, at most 15, compared without case.',
    },
    {
      names: ['Snapchat', 'Snap', 'Snap Chat', 'snapchat.com'],
      ids: 'snapchat',
      company: 'snap',
      profiles: [
        { hosts: ['snapchat.com', 'story.snapchat.com'], path: `^/add/(?<handle>[A-Za-z][A-Za-z0-9._-]{2,14})${END}` },
        { hosts: ['snapchat.com', 'story.snapchat.com'], path: `^/@(?<handle>[A-Za-z][A-Za-z0-9._-]{2,14})${END}` },
      ],
    },
    {
      names: ['TikTok', 'Tik Tok', 'TikTok Lite', 'TikTok Live', 'TikTok Shop', 'TikTok Now', 'Musical.ly', 'musically', 'tiktok.com'],
      ids: 'tiktok',
      company: 'bytedance',
      profiles: [
        { hosts: ['tiktok.com', 'm.tiktok.com'], path: `^/@(?<handle>[A-Za-z0-9._]{2,24})${END}` },
        { hosts: ['tiktok.com', 'm.tiktok.com'], path: `^/share/user/(?<id>\\d{6,20})${END}` },
      ],
      note: 'TikTok Lite and Live use the TikTok account; Musical.ly accounts became TikTok accounts in 2018. Douyin, Lemon8 and CapCut are other account systems of the same company.',
    },
    {
      names: ['Discord', 'Discordapp', 'discord.com'],
      ids: 'discord',
      company: 'discord',
      profiles: [{ hosts: ['discord.com', 'discordapp.com'], path: `^/users/(?<id>\\d{17,20})${END}` }],
    },
    {
      names: ['Reddit', 'reddit.com'],
      ids: 'reddit',
      company: 'reddit',
      profiles: [
        {
          hosts: ['reddit.com', 'old.reddit.com', 'new.reddit.com', 'np.reddit.com', 'm.reddit.com'],
          path: `^/(?:user|u)/(?<handle>[A-Za-z0-9_-]{3,20})${END}`,
        },
      ],
    },
    {
      names: ['Telegram', 'Telegram Messenger', 'telegram.org', 't.me'],
      ids: 'telegram',
      company: 'telegram',
      profiles: [{ hosts: ['t.me', 'telegram.me', 'telegram.dog'], path: `^/(?!(?:${TG_RESERVED})${END})(?<handle>[A-Za-z][A-Za-z0-9_]{3,31})${END}` }],
      note: 'Usernames: 5 to 32 letters, digits and underscores (4 for collectible ones), looked up without case.',
      sources: ['https://www.rubydoc.info/gems/validates_im/TelegramValidator (5–32 characters; look-ups are case-insensitive)'],
    },
    { names: ['Kik', 'Kik Messenger'], ids: 'kik', company: 'kik', profiles: [{ hosts: ['kik.me'], path: `^/(?<handle>[A-Za-z0-9._]{2,20})${END}` }] },
    { names: ['Roblox'], ids: 'roblox', company: 'roblox', profiles: [{ hosts: ['roblox.com', 'web.roblox.com'], path: `^/users/(?<id>\\d{1,20})${END}` }] },
    {
      names: ['Microsoft', 'Microsoft Account', 'Outlook', 'Outlook.com', 'Hotmail', 'Windows Live', 'MSN', 'OneDrive', 'Bing'],
      ids: 'microsoft',
      company: 'microsoft',
      note: 'One Microsoft account for Outlook.com, OneDrive and Bing. Skype, Xbox and Teams are kept apart: their ids in reports (Skype names, Xbox XUIDs, work accounts) are not Microsoft account ids.',
    },
    { names: ['Skype'], ids: 'skype', company: 'microsoft' },
    { names: ['Xbox', 'Xbox Live', 'Xbox Network'], ids: 'xbox', company: 'microsoft' },
    { names: ['Microsoft Teams', 'Teams'], ids: 'microsoft-teams', company: 'microsoft' },
    { names: ['Minecraft'], ids: 'minecraft', company: 'microsoft' },
    {
      names: ['GitHub'],
      ids: 'github',
      company: 'github',
      profiles: [
        {
          hosts: ['github.com'],
          path: `^/(?!(?:orgs|settings|login|features|topics|explore|marketplace|about|pricing|sponsors)${END})(?<handle>[A-Za-z0-9-]{1,39})${END}`,
        },
      ],
    },
    {
      names: ['LinkedIn'],
      ids: 'linkedin',
      company: 'linkedin',
      profiles: [{ hosts: ['linkedin.com', 'ph.linkedin.com', 'm.linkedin.com'], path: `^/in/(?<handle>[A-Za-z0-9_-]{3,100})${END}` }],
    },
    { names: ['Yahoo', 'Yahoo Mail', 'Yahoo Messenger'], ids: 'yahoo', company: 'yahoo' },
    { names: ['Tumblr'], ids: 'tumblr', company: 'tumblr', note: 'Tumblr left Yahoo in 2019: its own accounts.' },
    { names: ['Apple', 'Apple ID', 'Apple Account', 'iCloud', 'iMessage', 'FaceTime'], ids: 'apple', company: 'apple' },
    { names: ['Omegle'], ids: 'omegle', company: 'omegle' },
    {
      names: ['Bigo Live', 'Bigo', 'bigo.tv'],
      ids: 'bigo',
      company: 'bigo',
      note: "Bigo's profile URL form is not documented: Bigo profile URLs stay profile URLs.",
    },
    { names: ['Likee'], ids: 'likee', company: 'bigo', note: 'Also a BIGO product, but with its own Likee ids: kept apart.' },
    { names: ['Kumu'], ids: 'kumu', company: 'kumu' },
    {
      names: ['Twitch'],
      ids: 'twitch',
      company: 'twitch',
      profiles: [
        {
          hosts: ['twitch.tv', 'm.twitch.tv'],
          path: `^/(?!(?:directory|videos|settings|subscriptions|inventory|wallet|search|p|downloads|jobs|turbo)${END})(?<handle>[A-Za-z0-9_]{4,25})${END}`,
        },
      ],
    },
    { names: ['Viber', 'Rakuten Viber'], ids: 'viber', company: 'viber' },
    { names: ['LINE'], ids: 'line', company: 'line' },
    { names: ['WeChat', 'Weixin'], ids: 'wechat', company: 'tencent' },
    { names: ['VK', 'VKontakte'], ids: 'vk', company: 'vk', profiles: [{ hosts: ['vk.com', 'm.vk.com'], path: `^/id(?<id>\\d{1,12})${END}` }] },
    {
      names: ['Steam'],
      ids: 'steam',
      company: 'valve',
      profiles: [
        { hosts: ['steamcommunity.com'], path: `^/profiles/(?<id>\\d{17})${END}` },
        { hosts: ['steamcommunity.com'], path: `^/id/(?<handle>[A-Za-z0-9_-]{2,32})${END}` },
      ],
    },
    { names: ['Pinterest'], ids: 'pinterest', company: 'pinterest' },
    { names: ['Dropbox'], ids: 'dropbox', company: 'dropbox' },
    { names: ['Zoom'], ids: 'zoom', company: 'zoom' },
    { names: ['Imgur'], ids: 'imgur', company: 'imgur' },
    { names: ['MeetMe'], ids: 'meetme', company: 'meetme' },
    { names: ['Yubo'], ids: 'yubo', company: 'yubo' },
    { names: ['OnlyFans'], ids: 'onlyfans', company: 'onlyfans' },
    { names: ['Mega', 'mega.nz'], ids: 'mega', company: 'mega' },
  ],
  companies: [
    {
      id: 'meta',
      names: ['Meta', 'Meta Platforms', 'Facebook Inc', 'Meta Platforms Ireland'],
      domains: ['fb.com', 'meta.com', 'facebookmail.com', 'support.facebook.com', 'instagram.com', 'whatsapp.com'],
      note: 'An id from a Meta product the table does not know lives in "meta" (neither Facebook\'s nor Instagram\'s space). Facebook gave users @facebook.com mailboxes until 2014, so facebook.com is not a company-only domain.',
    },
    {
      id: 'google',
      names: ['Google', 'Alphabet'],
      domains: ['google.com', 'youtube.com'],
      unknownProducts: 'google',
      note: "Every Google product signs in with the Google Account. gmail.com is a consumer domain, not Google's own.",
    },
    { id: 'x', names: ['X Corp', 'Twitter'], domains: ['x.com', 'twitter.com'], unknownProducts: 'x' },
    { id: 'snap', names: ['Snap'], domains: ['snap.com', 'snapchat.com'], unknownProducts: 'snapchat' },
    { id: 'bytedance', names: ['ByteDance', 'TikTok Inc', 'TikTok Pte'], domains: ['tiktok.com', 'bytedance.com', 'tiktokusds.com'] },
    { id: 'discord', names: ['Discord'], domains: ['discord.com', 'discordapp.com'], unknownProducts: 'discord' },
    { id: 'reddit', names: ['Reddit'], domains: ['reddit.com', 'redditmail.com', 'redditinc.com'], unknownProducts: 'reddit' },
    { id: 'telegram', names: ['Telegram', 'Telegram Messenger'], domains: ['telegram.org'], unknownProducts: 'telegram' },
    { id: 'kik', names: ['Kik', 'Kik Interactive', 'MediaLab'], domains: ['kik.com'] },
    { id: 'roblox', names: ['Roblox'], domains: ['roblox.com'], unknownProducts: 'roblox' },
    {
      id: 'microsoft',
      names: ['Microsoft'],
      domains: ['microsoft.com'],
      note: "outlook.com, hotmail.com and live.com are consumer mail domains, not Microsoft's own.",
    },
    {
      id: 'yahoo',
      names: ['Yahoo', 'Yahoo Inc', 'Oath', 'Verizon Media'],
      domains: ['yahooinc.com', 'oath.com'],
      note: 'yahoo.com is a consumer mail domain.',
    },
    { id: 'apple', names: ['Apple'], domains: ['apple.com'], note: 'icloud.com and me.com are consumer mail domains.' },
    { id: 'omegle', names: ['Omegle'], domains: ['omegle.com'], unknownProducts: 'omegle' },
    { id: 'bigo', names: ['BIGO Technology', 'BIGO', 'JOYY'], domains: ['bigo.tv', 'bigo.sg'] },
    { id: 'kumu', names: ['Kumu'], domains: ['kumu.ph'], unknownProducts: 'kumu' },
    { id: 'twitch', names: ['Twitch', 'Twitch Interactive'], domains: ['twitch.tv'], unknownProducts: 'twitch' },
    { id: 'tumblr', names: ['Tumblr', 'Automattic'], domains: ['tumblr.com'] },
    { id: 'github', names: ['GitHub'], domains: ['github.com'], unknownProducts: 'github' },
    { id: 'linkedin', names: ['LinkedIn'], domains: ['linkedin.com'], unknownProducts: 'linkedin' },
    { id: 'viber', names: ['Rakuten Viber', 'Viber Media'], domains: ['viber.com'], unknownProducts: 'viber' },
    { id: 'line', names: ['LINE', 'LY Corporation'], domains: ['linecorp.com'] },
    { id: 'tencent', names: ['Tencent'], domains: ['tencent.com'] },
    { id: 'vk', names: ['VK'], domains: ['vk.company'] },
    { id: 'valve', names: ['Valve'], domains: ['valvesoftware.com'] },
    { id: 'pinterest', names: ['Pinterest'], domains: ['pinterest.com'], unknownProducts: 'pinterest' },
    { id: 'dropbox', names: ['Dropbox'], domains: ['dropbox.com'], unknownProducts: 'dropbox' },
    { id: 'zoom', names: ['Zoom', 'Zoom Video Communications'], domains: ['zoom.us', 'zoom.com'], unknownProducts: 'zoom' },
    { id: 'imgur', names: ['Imgur'], domains: ['imgur.com'], unknownProducts: 'imgur' },
    { id: 'meetme', names: ['MeetMe', 'The Meet Group'], domains: ['meetme.com', 'themeetgroup.com'] },
    { id: 'yubo', names: ['Yubo', 'Twelve App'], domains: ['yubo.live'], unknownProducts: 'yubo' },
    { id: 'onlyfans', names: ['OnlyFans', 'Fenix International'], domains: ['onlyfans.com'], unknownProducts: 'onlyfans' },
    { id: 'mega', names: ['Mega', 'Mega Limited'], domains: ['mega.nz', 'mega.io'], unknownProducts: 'mega' },
  ],
};
