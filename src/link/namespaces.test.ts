// Account namespaces (domain.md §7.6): product names as written map to the account system that
// issued the id; profile URLs become the id or handle they carry. Hand-made names and URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_NAMESPACES } from './data/account-namespaces.ts';
import { builtInNamespaces, nameKey, NamespaceIndex, type ReportSpaceContext } from './namespaces.ts';

const ns = builtInNamespaces();
const none: ReportSpaceContext = {};

test('product names as written map to their account namespace', () => {
  const expect: Record<string, string[]> = {
    facebook: [
      'Facebook',
      'facebook',
      'FACEBOOK',
      'FB',
      'fb lite',
      'Facebook Lite',
      'Facebook, Inc.',
      'Facebook Inc',
      'Messenger',
      'Facebook Messenger',
      'Messenger Lite',
      'facebook.com',
      'Facebook Live',
      'FB Live',
    ],
    instagram: [
      'Instagram',
      'instagram live',
      'Instagram, Inc.',
      'IG',
      'IG Direct',
      'Instagram Direct',
      'Instagram (Direct)',
      'INSTAGRAM-LIVE',
      'Instagram Lite',
      'Instagram Reels',
      'instagram.com',
      'Instagram for Android',
    ],
    threads: ['Threads', 'Threads from Instagram', 'threads.net'],
    whatsapp: ['WhatsApp', 'WhatsApp Business', 'WhatsApp LLC', 'WhatsApp Messenger', 'WA Business'],
    google: ['Google', 'Gmail', 'Google LLC', 'Google Drive', 'YouTube', 'youtube live'],
    x: ['X', 'Twitter', 'X Corp.', 'Twitter, Inc.', 'twitter.com', 'X (formerly Twitter)'],
    tiktok: ['TikTok', 'Tik Tok', 'TikTok Lite', 'TikTok Live', 'TikTok Inc.', 'Musical.ly'],
    snapchat: ['Snapchat', 'Snap Inc.', 'Snap'],
    bigo: ['Bigo Live', 'BIGO LIVE', 'bigo.tv'],
    kumu: ['Kumu', 'kumu.ph', 'Kumu Live'],
    'messenger-kids': ['Messenger Kids'],
    telegram: ['Telegram', 'Telegram Messenger'],
  };
  for (const [space, names] of Object.entries(expect)) {
    for (const n of names) assert.equal(ns.resolve(n, none).ids, space, `${n} → ${space}`);
  }
  // YouTube handles are YouTube's own; its ids are Google Account ids.
  assert.deepEqual([ns.resolve('YouTube', none).ids, ns.resolve('YouTube', none).handles], ['google', 'youtube']);
  // Facebook and Instagram are two account systems; so are Messenger Kids and Messenger.
  assert.notEqual(ns.resolve('Facebook', none).ids, ns.resolve('Instagram', none).ids);
  assert.notEqual(ns.resolve('Messenger Kids', none).ids, ns.resolve('Messenger', none).ids);
  assert.equal(nameKey('  Meta Platforms, Inc. '), 'meta platforms');
});

test("a product written with its company's name is that product; two account systems named together are neither", () => {
  const expect: [string, string][] = [
    ['Meta - Facebook', 'facebook'],
    ['Meta Platforms, Inc. - Instagram', 'instagram'],
    ['Meta (Instagram Live)', 'instagram'],
    ['Facebook (Meta Platforms, Inc.)', 'facebook'],
    ['META / WhatsApp', 'whatsapp'],
    ['ByteDance TikTok', 'tiktok'],
    ['Snap Inc. - Snapchat', 'snapchat'],
    ['Google - YouTube', 'google'],
    ['X Corp. (Twitter)', 'x'],
  ];
  for (const [written, space] of expect) {
    assert.equal(ns.resolve(written, none).ids, space, written);
    assert.equal(ns.resolve(written, none).via, 'product', written);
  }
  // Another company's product, two products, or a company with a product it does not own: the reporting company's space.
  const meta: ReportSpaceContext = { company: ns.company('Meta') };
  for (const written of ['Google - Facebook', 'Facebook Instagram', 'Instagram / Facebook', 'Meta - TikTok', 'Meta Notes']) {
    assert.equal(ns.product(written), undefined, written);
    assert.equal(ns.resolve(written, meta).ids, 'meta', written);
  }
});

test('an unknown product falls back to the reporting company; a product nobody knows keeps its own name', () => {
  const meta: ReportSpaceContext = { company: ns.company('Instagram'), product: ns.product('Instagram') };
  assert.equal(ns.resolve('Instagram Notes', meta).ids, 'meta');
  assert.equal(ns.resolve('Instagram Notes', meta).via, 'company');
  assert.equal(ns.resolve(undefined, meta).ids, 'instagram');
  assert.equal(ns.resolve('', meta).via, 'report-product');
  assert.equal(ns.resolve('Chatterbox Messenger', none).ids, 'chatterboxmessenger');
  assert.equal(ns.resolve(undefined, { name: 'Chatterbox' }).ids, 'chatterbox');
  assert.equal(ns.resolve(undefined, none).ids, 'unknown');
  // A company known only by its reporting domain.
  assert.equal(ns.companyOfDomain('lawenforcement.support.fb.com')?.id, 'meta');
  assert.equal(ns.companyOfDomain('tiktok.com')?.id, 'bytedance');
  assert.equal(ns.companyOfDomain('gmail.com'), undefined);
  assert.equal(ns.resolve('TikTok Notes', { company: ns.companyOfDomain('tiktok.com') }).ids, 'bytedance');
});

test("profile URLs carry an id, a handle or a phone in the URL's own service", () => {
  const cases: [string, string, string, string][] = [
    ['https://www.facebook.com/profile.php?id=100012345678901', 'id', 'facebook', '100012345678901'],
    ['m.facebook.com/profile.php?ref=bookmarks&id=100012345678901', 'id', 'facebook', '100012345678901'],
    ['https://web.facebook.com/people/Juan-Dela-Cruz/100012345678901/', 'id', 'facebook', '100012345678901'],
    ['facebook.com/100012345678901', 'id', 'facebook', '100012345678901'],
    ['fb.com/juan.dc88', 'handle', 'facebook', 'juan.dc88'],
    ['https://www.facebook.com/Juan.DC88?ref=bookmarks', 'handle', 'facebook', 'Juan.DC88'],
    ['https://m.me/juan.dc88', 'handle', 'facebook', 'juan.dc88'],
    ['https://www.instagram.com/jun_dc88/', 'handle', 'instagram', 'jun_dc88'],
    ['instagram.com/stories/jun_dc88/3141592653', 'handle', 'instagram', 'jun_dc88'],
    ['https://www.tiktok.com/@jun.dc88/video/7234567890123456789', 'handle', 'tiktok', 'jun.dc88'],
    ['https://www.tiktok.com/share/user/6784563164518679557', 'id', 'tiktok', '6784563164518679557'],
    ['https://x.com/JunDC88', 'handle', 'x', 'JunDC88'],
    ['http://twitter.com/jundc88/status/1', 'handle', 'x', 'jundc88'],
    ['https://twitter.com/i/user/1234567890123', 'id', 'x', '1234567890123'],
    ['https://www.snapchat.com/add/jun-dc88', 'handle', 'snapchat', 'jun-dc88'],
    ['https://www.youtube.com/@JunDC88', 'handle', 'youtube', 'JunDC88'],
    ['https://www.youtube.com/channel/UC1a2b3c4d5e6f7g8h9i0jKL', 'id', 'google', 'UC1a2b3c4d5e6f7g8h9i0jKL'],
    ['https://www.reddit.com/user/jun_dc88/', 'handle', 'reddit', 'jun_dc88'],
    ['old.reddit.com/u/jun_dc88', 'handle', 'reddit', 'jun_dc88'],
    ['https://discord.com/users/123456789012345678', 'id', 'discord', '123456789012345678'],
    ['https://t.me/jundc88', 'handle', 'telegram', 'jundc88'],
    ['https://wa.me/639178523146', 'phone', 'whatsapp', '639178523146'],
    ['https://api.whatsapp.com/send?phone=639178523146&text=hi', 'phone', 'whatsapp', '639178523146'],
    ['https://www.roblox.com/users/12345678/profile', 'id', 'roblox', '12345678'],
    ['https://www.threads.net/@jun.dc88', 'handle', 'threads', 'jun.dc88'],
  ];
  for (const [url, kind, space, value] of cases) {
    const hit = ns.profile(url);
    assert.ok(hit, `${url} carries nothing`);
    assert.deepEqual([hit.kind, hit.kind === 'handle' ? hit.space.handles : hit.space.ids, hit.value], [kind, space, value], url);
  }
  // Site pages, posts, groups and unknown sites carry no account.
  for (const url of [
    'https://www.facebook.com/groups/123456789',
    'https://www.instagram.com/p/Cxyz123/',
    'https://www.facebook.com/watch?v=1',
    'https://x.com/i/flow/login',
    'https://t.me/joinchat/AAAA',
    'https://chatterbox.example/u/kuya_juan88',
    'not a url',
    'javascript:alert(1)',
    'https://www.facebook.com/sharer.php?u=x',
  ]) {
    assert.equal(ns.profile(url), undefined, url);
  }
});

test('the table is consistent: one row per name, patterns compile with one named group, companies exist', () => {
  const seen = new Map<string, string>();
  const companies = new Set(BUILT_IN_NAMESPACES.companies.map((c) => c.id));
  for (const p of BUILT_IN_NAMESPACES.products) {
    assert.ok(companies.has(p.company), `${p.names[0]}: company ${p.company} is not listed`);
    assert.match(p.ids, /^[a-z0-9][a-z0-9-]*$/);
    for (const n of p.names) {
      const k = nameKey(n);
      assert.ok(!seen.has(k) || seen.get(k) === p.ids, `"${n}" maps to ${seen.get(k)} and ${p.ids}`);
      seen.set(k, p.ids);
    }
    for (const f of p.profiles ?? []) {
      const groups = ['id', 'handle', 'phone'].filter((g) => f.path.includes(`(?<${g}>`));
      assert.equal(groups.length, 1, `${p.names[0]} ${f.path}`);
      assert.doesNotThrow(() => new RegExp(f.path));
    }
  }
  // An agency's row for a name wins over the built-in one.
  const agency = new NamespaceIndex([BUILT_IN_NAMESPACES, { products: [{ names: ['Threads'], ids: 'instagram', company: 'meta' }], companies: [] }]);
  assert.equal(agency.resolve('Threads', none).ids, 'instagram');
  assert.notEqual(agency.fingerprint, ns.fingerprint);
});
