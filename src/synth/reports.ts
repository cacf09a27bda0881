// Builders for report content: the parts every report shares (times, envelope, reporter, files,
// IP events) and the background categories (ordinary, informational, viral, meme batch).
import type { Ctx } from './context.ts';
import { drawProvince, provinceOf } from './context.ts';
import { espProfile } from './data/esps.ts';
import { PH_CHILD, PH_FEMALE, PH_MALE, PH_SURNAMES, WESTERN_MALE, WESTERN_SURNAMES } from './data/names.ts';
import type { Province } from './data/provinces.ts';
import { ORDINARY_INFO, TIME_DESCRIPTIONS } from './data/text.ts';
import { EMPTY_HASHES, nearPdq, uniqueHashes, type FileHashes } from './hashes.ts';
import type { IpAddr } from './ips.ts';
import type { IncidentType, SpikeParam } from './params.ts';
import { newDevice, newEmail, newEspId, newHandle } from './people.ts';
import { formatPh, phMobile } from './phones.ts';
import type { Rng } from './rng.ts';
import { account, person, type AccountSpec, type FileSpec, type IpEventSpec, type ReportSpec } from './spec.ts';
import { DAY, HOUR, MINUTE, isoAt, isoDate, isoUtc } from './time.ts';
import type { Category, TrapType } from './truth.ts';

const EVENT_NAMES = ['Login', 'Login', 'Login', 'Upload', 'Upload', 'Registration', 'Purchase', 'Other', 'Unknown'] as const;

/** How one report writes its times. */
export class Clock {
  readonly tz: string;
  readonly millis: boolean;
  /** When the ESP detected the incident (epoch ms). */
  readonly incident: number;
  /** Local time without a zone designator (a world's ESP convention). */
  readonly zoneless: boolean;
  /** The ESP's clock error, added to every time it writes (a world's ESP clock). */
  readonly skewMs: number;

  /**
   * Picks the report's offset and precision, and an incident time before `received`. In a world
   * with ESP clocks, the ESP `esp` decides the offset, zone and clock error (`explicitZone`: never
   * zoneless).
   */
  constructor(
    rng: Rng,
    ctx: Ctx,
    readonly received: number,
    incidentBefore?: number,
    esp?: string,
    explicitZone = false,
  ) {
    const tz = ctx.tz.draw(rng);
    this.millis = rng.chance(ctx.p.fractionalSecondsShare);
    const lag = incidentBefore ?? Math.min(45 * DAY, Math.max(5 * MINUTE, rng.logNormal(18 * HOUR, 1.2)));
    this.incident = received - lag;
    const w = esp !== undefined ? ctx.world?.clocks.report(rng, esp, explicitZone) : undefined;
    this.tz = w?.tz ?? tz;
    this.zoneless = w?.zoneless ?? false;
    this.skewMs = w?.skewMs ?? 0;
  }

  /** `ms` as this report writes times. */
  fmt(ms: number): string {
    const t = ms + this.skewMs;
    const s = isoAt(this.millis ? t : Math.floor(t / 1000) * 1000, this.tz, this.millis);
    return this.zoneless ? s.slice(0, this.tz === 'Z' ? -1 : -6) : s;
  }

  /** A moment up to `maxDays` before the incident. */
  before(rng: Rng, maxDays: number): number {
    return this.incident - Math.floor(rng.float() * maxDays * DAY);
  }
}

/** A report under construction: its spec plus what truth needs to know about it. */
export class Draft {
  readonly spec: ReportSpec;
  readonly addrs: IpAddr[] = [];
  readonly traps: [TrapType, string][] = [];
  /** A planted province spike: the reported user lives there and the ESP says so. */
  forcedProvince?: Province;

  /** An empty report of a category received at `clock.received`. */
  constructor(
    readonly category: Category,
    readonly esp: string,
    readonly clock: Clock,
    incidentType: IncidentType,
  ) {
    this.spec = {
      reportId: '',
      receivedAt: isoUtc(clock.received),
      batched: false,
      incidentType,
      reportAnnotations: [],
      incidentDateTime: clock.fmt(clock.incident),
      internet: [],
      reporter: {},
      reported: [],
      intended: [],
      victims: [],
      files: [],
      lookups: [],
    };
  }

  /** An IP capture event at `addr`, remembered for look-ups and trap truth. */
  event(rng: Rng, ctx: Ctx, addr: IpAddr, when: number, opts: { port?: boolean; eventName?: string } = {}): IpEventSpec {
    this.addrs.push(addr);
    const e: IpEventSpec = { ip: addr.ip };
    if (rng.chance(0.9)) e.eventName = opts.eventName ?? rng.pick(EVENT_NAMES);
    if (rng.chance(0.95)) e.dateTime = this.clock.fmt(when);
    if (addr.kind === 'vpn' || addr.kind === 'relay') {
      if (rng.chance(ctx.p.ip.proxyFlagShare)) e.possibleProxy = true;
    } else if (rng.chance(0.08)) e.possibleProxy = false;
    const withPort = opts.port ?? rng.chance(ctx.p.esps.portShare[this.esp] ?? ctx.p.esps.defaultPortShare);
    if (withPort && addr.kind !== 'mobile-v6') e.port = rng.int(1024, 65535);
    return e;
  }

  /** Fills the envelope's look-ups and trap notes from the addresses used. */
  finish(rng: Rng, ctx: Ctx): void {
    const seen = new Set<string>();
    for (const a of this.addrs) {
      if (seen.has(a.ip)) continue;
      seen.add(a.ip);
      if (a.kind === 'cgnat' || a.kind === 'cgnat-internal') this.traps.push(['cgnat-ip', a.ip]);
      else if (a.kind === 'vpn' || a.kind === 'relay') this.traps.push(['vpn-ip', a.ip]);
      else if (a.kind === 'public-dns') this.traps.push(['public-dns-ip', a.ip]);
      if (this.spec.lookups.length < 3 && rng.chance(ctx.p.envelope.ipLookupShare)) this.spec.lookups.push(a);
    }
    for (const f of this.spec.files) {
      if (f.hashes.some(([, v]) => v === EMPTY_HASHES.md5)) {
        this.traps.push(['empty-file-hash', EMPTY_HASHES.md5], ['empty-file-hash', EMPTY_HASHES.sha1], ['empty-file-hash', EMPTY_HASHES.sha256]);
        break;
      }
    }
  }
}

/** Sets the envelope: referral, NCMEC priority (raw), routed country. */
export function envelope(rng: Rng, ctx: Ctx, d: Draft, referral: boolean, priority?: string): void {
  const s = d.spec;
  s.referral = referral;
  if (priority !== undefined) s.priority = priority;
  else if (!rng.chance(ctx.p.envelope.noPriorityShare)) s.priority = referral ? ctx.priority.draw(rng) : rng.pick(['3', '3', '3', '2', 'E']);
  if (rng.chance(ctx.p.envelope.noCountryShare)) {
    if (rng.chance(ctx.p.envelope.emptyCountryShare)) s.country = '';
  } else s.country = 'PH';
}

/** Fills incidentSummary's optional parts and the reporter. */
export function summary(rng: Rng, ctx: Ctx, d: Draft, factor = 1, forcePlatform = false): void {
  const sp = ctx.p.sparse;
  const s = d.spec;
  if (forcePlatform || rng.chance(sp.platform)) s.platform = d.esp;
  if (rng.chance(sp.timeDescription * factor)) s.timeDescription = rng.pick(TIME_DESCRIPTIONS);
  const prof = espProfile(d.esp);
  // Without platform or espService the reader falls back to the reporter's domain: keep it then.
  if (!s.platform || rng.chance(sp.reporterEmail))
    s.reporter.email = `${rng.pick(['cybertips', 'ncmec-reports', 'lawenforcement', 'safety'])}@${prof.reporterDomain}`;
  if (rng.chance(sp.reporterName)) {
    s.reporter.firstName = rng.pick(['Trust', 'Safety', 'Child Safety', 'LE Response']);
    s.reporter.lastName = 'Team';
  }
  if (rng.chance(0.6)) s.reporter.company = prof.company;
}

/** A PH person's IP events: mostly their CGNAT or fixed line, sometimes VPN, relay or junk. */
export function backgroundEvents(rng: Rng, ctx: Ctx, d: Draft, province: Province, mobileUser: boolean): IpEventSpec[] {
  const n = Math.min(6, rng.geometric(ctx.p.ip.eventsMean));
  const out: IpEventSpec[] = [];
  let fixed: IpAddr | undefined;
  for (let i = 0; i < n; i++) {
    let addr = ctx.ips.background(rng, province, mobileUser);
    // A fixed line keeps its address within one report.
    if (addr.kind === 'fixed') {
      fixed ??= addr;
      addr = fixed;
    }
    out.push(d.event(rng, ctx, addr, d.clock.before(rng, 10)));
  }
  return out;
}

/** The reported account of an unrelated background user (fresh identifiers, never shared). */
export function backgroundAccount(rng: Rng, ctx: Ctx, d: Draft, informational: boolean): AccountSpec {
  const sp = ctx.p.sparse;
  const f = informational ? sp.informationalFactor : 1;
  const a = account();
  const sex = rng.chance(0.75) ? 'M' : 'F';
  const foreign = rng.chance(0.03);
  const first = foreign ? rng.pick(WESTERN_MALE) : rng.pick(sex === 'F' ? PH_FEMALE : PH_MALE);
  const last = foreign ? rng.pick(WESTERN_SURNAMES) : rng.pick(PH_SURNAMES);
  const province = d.forcedProvince ?? drawProvince(ctx, rng);
  const p = person();
  if (rng.chance(sp.name * f)) {
    p.firstName = first;
    p.lastName = last;
  }
  if (!informational && rng.chance(sp.phone)) {
    const e164 = phMobile(rng, ctx.unique);
    const fmt = ctx.phoneFormat.draw(rng);
    p.phones.push({
      text: formatPh(e164, fmt),
      type: rng.chance(0.7) ? 'Mobile' : undefined,
      verified: rng.chance(0.5) ? rng.chance(ctx.p.phones.verifiedShare) : undefined,
      countryCallingCode: fmt === 'national' || rng.chance(ctx.p.phones.countryCallingCodeShare) ? '+63' : undefined,
    });
  }
  if (rng.chance(sp.email * f)) p.emails.push({ text: newEmail(rng, ctx, first, last), verified: rng.chance(0.5) ? rng.chance(0.6) : undefined });
  if (rng.chance(sp.age * f)) {
    if (rng.chance(0.5)) p.age = rng.int(16, 60);
    else p.dateOfBirth = `${rng.int(1965, 2008)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  }
  if (!informational && rng.chance(sp.address)) p.addresses.push({ city: rng.pick(province.places), nonUsaState: province.name, country: 'PH', type: 'Home' });
  if (p.firstName || p.phones.length || p.emails.length || p.age !== undefined || p.dateOfBirth || p.addresses.length) a.person = p;
  const wantsScreen = rng.chance(sp.screenName * f);
  const wantsId = rng.chance(sp.espIdentifier * f);
  const handle = wantsScreen || wantsId ? newHandle(rng, ctx, first, last) : '';
  if (wantsId) a.espIdentifier = newEspId(rng, ctx, d.esp, handle);
  if (rng.chance(sp.espService)) a.espService = d.esp;
  if (wantsScreen) a.screenName = handle;
  if (rng.chance(sp.displayName * f)) a.displayName = rng.chance(0.7) ? `${first} ${last}` : `${first} ${rng.pick(['', 'Jr', 'II'])}`.trim();
  const prof = espProfile(d.esp);
  if (prof.profileUrl && handle && rng.chance(sp.profileUrl * f))
    a.profileUrl = `${prof.profileUrl}${prof.idStyle === 'meta' && a.espIdentifier ? a.espIdentifier : handle}`;
  if (!informational && rng.chance(sp.ipEvents)) a.ipEvents = backgroundEvents(rng, ctx, d, province, rng.chance(0.7));
  if (!informational && rng.chance(sp.deviceId)) {
    const dev = newDevice(rng, ctx);
    a.devices.push({
      idType: dev.idType,
      idValue: dev.forms[0]!,
      eventName: rng.chance(0.5) ? 'Login' : undefined,
      dateTime: rng.chance(0.5) ? d.clock.fmt(d.clock.before(rng, 5)) : undefined,
    });
  }
  if (rng.chance(0.01)) a.compromisedAccount = true;
  if (rng.chance(0.015)) a.thirdPartyUserReported = true;
  if (rng.chance(sp.groupIdentifier * f)) a.groupIdentifier = `${rng.pick(['group', 'chat', 'thread'])}-${rng.digits(12)}`;
  if (rng.chance(sp.accountDisabled * f))
    a.disabled = {
      permanent: rng.chance(0.6),
      date: d.clock.fmt(d.clock.received - rng.int(1, 72) * HOUR),
      userNotified: rng.chance(0.5) ? rng.chance(0.3) : undefined,
    };
  if (d.forcedProvince) a.location = { city: rng.pick(province.places), region: province.region, countryCode: 'PH' };
  else if (rng.chance(sp.estimatedLocation * f)) {
    a.location = {
      city: rng.chance(0.7) ? rng.pick(province.places) : undefined,
      region: rng.chance(0.6) ? province.region : undefined,
      countryCode: rng.chance(0.9) ? 'PH' : undefined,
      verified: rng.chance(0.5) ? false : undefined,
    };
  }
  if (rng.chance(sp.associatedAccount * f)) {
    const other = ctx.esp.draw(rng);
    a.associated.push({
      type: rng.pick(['Linked', 'Other', 'Billing'] as const),
      espService: other,
      screenName: newHandle(rng, ctx, first, last),
      phones: [],
      emails: [],
      priorCTReports: [],
    });
  }
  return a;
}

/** Whether an account would be written as an empty element (nothing known about the user). */
export function isEmptyAccount(a: AccountSpec): boolean {
  return (
    !a.person &&
    !a.espIdentifier &&
    !a.espService &&
    !a.screenName &&
    !a.displayName &&
    !a.profileUrl &&
    a.ipEvents.length === 0 &&
    a.devices.length === 0 &&
    a.priorCTReports.length === 0 &&
    !a.groupIdentifier &&
    !a.disabled &&
    !a.location &&
    a.associated.length === 0 &&
    !a.additionalInfo
  );
}

/** Options for one file's details. */
export interface FileOpts {
  hashes: FileHashes;
  video: boolean;
  annotations?: string[];
  legacyMeme?: boolean;
  classification?: FileSpec['classification'];
  viewed?: boolean;
  ipEvent?: IpEventSpec;
  /** Whether the file is new to the world (its EXIF belongs to it; recirculating copies carry none). */
  fresh?: boolean;
}

const CAMERAS: readonly [string, string][] = [
  ['samsung', 'SM-A245F'],
  ['samsung', 'SM-A136B'],
  ['OPPO', 'CPH2477'],
  ['vivo', 'V2207'],
  ['Xiaomi', 'Redmi Note 12'],
  ['realme', 'RMX3760'],
  ['Apple', 'iPhone 11'],
  ['Apple', 'iPhone 13'],
  ['HUAWEI', 'MAR-LX2'],
  ['TECNO', 'TECNO KI5q'],
];

const HASH_NAMES: Record<'md5' | 'sha1' | 'sha256', readonly string[]> = {
  md5: ['MD5', 'MD5', 'MD5', 'MD5', 'md5'],
  sha1: ['SHA1', 'SHA1', 'SHA1', 'SHA-1'],
  sha256: ['SHA256', 'SHA256', 'SHA256', 'SHA-256'],
};

/** One fileDetails: hashes split between originalFileHash and details type="HASH". */
export function fileSpec(rng: Rng, ctx: Ctx, d: Draft, o: FileOpts): FileSpec {
  const fp = ctx.p.files;
  const sp = ctx.p.sparse;
  const f: FileSpec = { fileId: rng.hex(rng.chance(0.5) ? 16 : 24), annotations: o.annotations ?? [], hashes: [], hashDetails: [] };
  const ext = o.video ? rng.pick(['mp4', 'mp4', 'mov', '3gp']) : rng.pick(['jpg', 'jpg', 'jpeg', 'png', 'webp']);
  if (rng.chance(0.7)) f.fileName = `${rng.hex(12)}.${ext}`;
  if (rng.chance(sp.originalFileName)) {
    const day = isoDate(d.clock.incident - rng.int(0, 400) * DAY).replace(/-/g, '');
    f.originalFileName = o.video
      ? `VID-${day}-WA${rng.digits(4)}.${ext}`
      : rng.chance(0.5)
        ? `IMG_${day}_${rng.digits(6)}.${ext}`
        : `received_${rng.digits(15)}.${ext}`;
  }
  if (rng.chance(sp.uploadTimestamp)) f.uploaded = d.clock.fmt(d.clock.incident - Math.floor(rng.float() * 3 * DAY));
  f.viewedByEsp = o.viewed ?? (rng.chance(0.85) ? rng.chance(fp.viewedByEspShare) : undefined);
  if (rng.chance(0.3)) f.exifViewedByEsp = false;
  if (rng.chance(fp.publicFlagShare)) f.publiclyAvailable = rng.chance(0.3);
  if (rng.chance(0.85)) f.relevance = rng.chance(0.9) ? 'Reported' : 'Supplemental Reported';
  if (o.legacyMeme) f.legacyPotentialMeme = true;
  f.classification = o.classification ?? (rng.chance(fp.industryClassificationShare) ? rng.pick(['A1', 'A2', 'B1', 'B2', 'B1', 'A2'] as const) : undefined);
  const h = o.hashes;
  const primary = rng.float() < 0.8 ? 'md5' : rng.chance(0.5) ? 'sha1' : 'sha256';
  f.hashes.push([rng.pick(HASH_NAMES[primary]), h[primary]]);
  const details: [string, string][] = [];
  for (const k of ['md5', 'sha1', 'sha256'] as const) {
    if (k === primary) continue;
    if (h === EMPTY_HASHES || rng.chance(0.5)) details.push([rng.pick(HASH_NAMES[k]), h[k]]);
  }
  if (h.pdq) details.push(['PDQ', h.pdq]);
  if (h === EMPTY_HASHES || rng.chance(fp.hashDetailsShare)) f.hashDetails = details;
  else if (h.pdq && rng.chance(0.5)) f.hashes.push(['PDQ', h.pdq]);
  if (o.ipEvent) f.ipEvent = o.ipEvent;
  if (o.fresh && !o.video && rng.chance(fp.exifShare)) {
    const [make, model] = rng.pick(CAMERAS);
    const exif: [string, string][] = [
      ['Make', make],
      ['Model', model],
      [
        'DateTimeOriginal',
        isoAt(d.clock.incident - rng.int(1, 900) * DAY, 'Z')
          .slice(0, 19)
          .replace('T', ' ')
          .replace(/-/g, ':'),
      ],
    ];
    if (rng.chance(0.5)) exif.push(['Software', rng.pick(['Instagram', 'Snapseed', 'Android', '17.2.1', 'Meitu'])]);
    if (rng.chance(0.5)) exif.push(['ImageWidth', String(rng.pick([1080, 1440, 3024, 4000]))], ['ImageHeight', String(rng.pick([1350, 1920, 4032, 3000]))]);
    // GPS in EXIF is rare and precious: it points at a place in the Philippines.
    if (rng.chance(0.08)) exif.push(['GPSLatitude', (5 + rng.float() * 13.5).toFixed(5)], ['GPSLongitude', (117.5 + rng.float() * 8.5).toFixed(5)]);
    f.exifDetails = exif;
  }
  if (rng.chance(0.05))
    f.additionalInfo = rng.pick([
      'File removed from public view.',
      'Duplicate of an earlier upload by the same account.',
      'Thumbnail only; original not retained.',
    ]);
  return f;
}

const ORDINARY_ANNOTATIONS: readonly [string, number][] = [
  ['possibleSelfProduction', 0.03],
  ['generativeAi', 0.01],
  ['animeDrawingVirtualHentai', 0.01],
  ['physicalHarm', 0.004],
  ['violenceGore', 0.002],
  ['bestiality', 0.001],
];

/** Hashes of an ordinary file: unique (new to the world) or drawn from recirculating known files. */
export function ordinaryHashes(rng: Rng, ctx: Ctx, video: boolean): { hashes: FileHashes; fresh: boolean } {
  const fresh = rng.chance(video ? ctx.p.files.videoUniqueShare : ctx.p.files.photoUniqueShare);
  return { hashes: fresh ? uniqueHashes(rng, !video && rng.chance(ctx.p.files.pdqShare)) : ctx.known.draw(rng), fresh };
}

/** The files of an ordinary report. */
export function ordinaryFiles(rng: Rng, ctx: Ctx, d: Draft, count: number, uploadEvent?: IpEventSpec): FileSpec[] {
  const out: FileSpec[] = [];
  for (let i = 0; i < count; i++) {
    const video = rng.chance(ctx.p.files.videoShare);
    const annotations: string[] = [];
    for (const [a, p] of ORDINARY_ANNOTATIONS) if (rng.chance(p)) annotations.push(a);
    const { hashes, fresh } = ordinaryHashes(rng, ctx, video);
    out.push(fileSpec(rng, ctx, d, { hashes, fresh, video, annotations, ipEvent: i === 0 ? uploadEvent : undefined }));
  }
  return out;
}

/** Meme files: a few hashes recirculating, sometimes re-encoded (new exact hashes, near PDQ). */
export function memeFiles(rng: Rng, ctx: Ctx, d: Draft, count: number): FileSpec[] {
  const out: FileSpec[] = [];
  for (let i = 0; i < count; i++) {
    let hashes = ctx.memes.draw(rng);
    if (hashes.pdq && rng.chance(0.12)) hashes = { ...uniqueHashes(rng, false), pdq: nearPdq(rng, hashes.pdq, rng.int(2, 14)) };
    const annotated = rng.chance(ctx.p.viral.annotatedShare);
    const legacy = annotated && rng.chance(0.1);
    const annotations = annotated && !legacy ? (rng.chance(0.5) ? ['potentialMeme', 'viral'] : [rng.pick(['potentialMeme', 'viral'])]) : [];
    out.push(fileSpec(rng, ctx, d, { hashes, video: rng.chance(0.35), annotations, legacyMeme: legacy }));
  }
  return out;
}

/** A child victim as an ESP describes one: first name, age, sometimes nothing else. */
export function childVictim(rng: Rng, minAge: number, maxAge: number, last?: string): AccountSpec {
  const v = account();
  const p = person();
  if (rng.chance(0.5)) p.firstName = rng.pick(PH_CHILD);
  if (last && rng.chance(0.5)) p.lastName = last;
  p.age = rng.int(minAge, maxAge);
  v.person = p;
  return v;
}

const ENTICEMENT: IncidentType = 'Online Enticement of Children for Sexual Acts';
const OBSCENE: IncidentType = 'Unsolicited Obscene Material Sent to a Child';

/** The child an enticement or obscene-material report names as intended recipient. */
export function intendedChild(rng: Rng, ctx: Ctx, esp: string): AccountSpec {
  const a = account();
  const p = person();
  p.firstName = rng.pick(PH_CHILD);
  p.age = rng.int(10, 16);
  a.person = p;
  a.espService = esp;
  a.screenName = newHandle(rng, ctx, p.firstName, rng.pick(PH_SURNAMES));
  return a;
}

/** A background report of a category: ordinary, informational, viral or meme-batch (on `espName` when given; raising a planted spike's value when given one). */
export function buildBackground(
  rng: Rng,
  ctx: Ctx,
  category: Category,
  received: number,
  referral: boolean,
  finish = true,
  espName?: string,
  spike?: SpikeParam,
): Draft {
  const esp = spike?.dimension === 'esp' ? spike.value : (espName ?? ctx.esp.draw(rng));
  const clock = new Clock(rng, ctx, received, undefined, esp);
  const d = new Draft(category, esp, clock, spike?.dimension === 'incidentType' ? (spike.value as IncidentType) : ctx.incident.draw(rng));
  if (spike?.dimension === 'province') d.forcedProvince = provinceOf(ctx, spike.value);
  const s = d.spec;
  const sp = ctx.p.sparse;
  const informational = !referral;
  const f = informational ? sp.informationalFactor : 1;
  envelope(rng, ctx, d, referral);
  summary(rng, ctx, d, f);
  if (category === 'meme-batch') s.batched = true;
  if (d.forcedProvince || rng.chance(sp.reportedPerson * (informational ? 0.8 : 1))) {
    const a = backgroundAccount(rng, ctx, d, informational);
    if (!isEmptyAccount(a)) s.reported.push(a);
  }
  if (!informational && rng.chance(sp.victim)) s.victims.push(childVictim(rng, 6, 17));
  // Enticement and obscene material are aimed at a child: the ESP often names the account.
  if ((s.incidentType === ENTICEMENT || s.incidentType === OBSCENE) && rng.chance(0.6)) s.intended.push(intendedChild(rng, ctx, esp));
  if (!informational && rng.chance(sp.internetDetails)) {
    if (rng.chance(0.6))
      s.internet.push({
        kind: 'chat',
        client: espProfile(esp).chatClient,
        content: rng.chance(0.5) ? 'Files shared in conversation; text not retained.' : undefined,
      });
    else s.internet.push({ kind: 'web', urls: [`https://${espProfile(esp).reporterDomain}/${rng.hex(10)}`], thirdParty: rng.chance(0.2) ? true : undefined });
  }
  if (rng.chance(sp.additionalInfo * f)) s.additionalInfo = rng.pick(ORDINARY_INFO);
  if (category === 'viral' || category === 'meme-batch') {
    s.files = memeFiles(rng, ctx, d, rng.chance(0.75) ? 1 : rng.int(2, 3));
  } else {
    const n = informational ? rng.int(0, 3) : Math.min(ctx.p.files.maxPerReport, rng.geometric(ctx.p.files.meanPerReport));
    const reported = s.reported[0];
    const upload =
      !informational && reported && reported.ipEvents.length > 0 && rng.chance(ctx.p.sparse.fileIpEvent)
        ? { ...reported.ipEvents[0]!, eventName: 'Upload' }
        : undefined;
    s.files = ordinaryFiles(rng, ctx, d, n, upload);
  }
  if (finish) d.finish(rng, ctx);
  return d;
}
