// The children stage: plan (reports whose mentions are stale), compute (each report's mentions and
// facts, pure), write; then group every mention into children (in memory: mentions are the few
// reports that name or imply a child) and rewrite only the children whose members or facts changed.
// The rescue workflow (src/cases/rescue.ts) records the steps; this stage keeps a rescued child's
// reports in rescued_child_reports, which triage reads, as its members change.
import type { Store } from '../store/database.ts';
import type { VisibleTo } from '../store/cases.ts';
import type { CybertipReport } from '../model/report.ts';
import { RESCUE_STEPS, type RescueStep } from './steps.ts';
import {
  allMentions,
  childFacts,
  relatedMentions,
  childMembership,
  childReportInputs,
  getChild,
  listChildren,
  replaceChildren,
  rescueSteps,
  setRescuedReports,
  staleChildReports,
  subjectPayments,
  writeChildReports,
  type ChildReportInput,
  type ChildRow,
  type RescueStepRow,
} from '../store/children.ts';
import { docFeatures, linkSignals } from '../triage/features.ts';
import { markPending } from '../store/pending.ts';
import { escalationStrength } from '../triage/escalation.ts';
import { cluster, meetingKeys, mentionsOf, nameKey, type AgeBand, type StoredMention } from './mentions.ts';

/** What the children page needs from one report. */
export interface ReportFacts {
  receivedAt: string | null;
  subjectId: string | null;
  provinceCode: string | null;
  municipalityCode: string | null;
  livestream: boolean;
  escalation: boolean;
  /** Series or lists that say a file's victim is already identified (VICS VictimIdentified). */
  identified: string[];
  people: { name: string | null; handle: string | null }[];
  surnames: string[];
}

export { RESCUE_STEPS, type RescueStep };

/** A child as the page and `bantay children --json` show it. */
export interface Child {
  id: string;
  name: string | null;
  handle: string | null;
  school: string | null;
  band: AgeBand;
  /** The age the latest report states, and the age now estimated from it. */
  age: number | null;
  ageNow: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
  reports: string[];
  subjects: string[];
  place: { text: string | null; provinceCode: string | null; municipalityCode: string | null };
  ongoing: { recent: boolean; livestream: boolean; escalation: boolean; payments: boolean; lastPaymentAt: string | null };
  identified: string[];
  people: { name: string | null; handle: string | null }[];
  /** A victim shares a reported person's surname: a child in the household (access). */
  household: boolean;
  annotations: string[];
  status: 'open' | RescueStep;
  steps: RescueStepRow[];
  /** Why the child ranks where it does, in order of weight. */
  danger: string[];
}

/** Options of a run. */
export interface ChildrenOptions {
  rebuild?: boolean;
  /** Only these reports may be stale (the children stage's pending keys); default every report. */
  reportIds?: string[];
  batchSize?: number;
}

const YOUTH: Record<AgeBand, number> = { infant: 3, under5: 2, prepubescent: 1, pubescent: 0, minor: 0 };

function factsOf(r: ChildReportInput): ReportFacts {
  const doc = r.doc as CybertipReport;
  let livestream = false;
  let escalation = false;
  try {
    const d = docFeatures(doc);
    livestream = linkSignals(d, r.novelty).includes('livestream');
    escalation = escalationStrength(d.escalationText) === 'reason';
  } catch {
    // A document this code cannot read names no signal rather than stopping the run.
  }
  const files = Array.isArray(r.evidence) ? (r.evidence as { known?: { list: string; series: string | null; victimIdentified: boolean | null }[] }[]) : [];
  const identified = [...new Set(files.flatMap((f) => (f.known ?? []).filter((k) => k.victimIdentified === true).map((k) => k.series ?? k.list)))].sort();
  const reported = doc.reportedPersons ?? [];
  return {
    receivedAt: r.receivedAt,
    subjectId: r.subjectId,
    provinceCode: r.provinceCode,
    municipalityCode: r.municipalityCode,
    livestream,
    escalation,
    identified,
    people: reported.map((p) => ({
      name: [p.person?.firstName, p.person?.lastName].filter(Boolean).join(' ') || null,
      handle: p.screenName ?? p.espIdentifier ?? null,
    })),
    surnames: reported.flatMap((p) => (p.person?.lastName ? [nameKey(p.person.lastName)] : [])),
  };
}

/** Brings mentions up to date; returns the reports read. */
async function updateMentions(store: Pick<Store, 'db' | 'copy'>, opts: ChildrenOptions): Promise<string[]> {
  const limit = opts.batchSize ?? 2000;
  const changed: string[] = [];
  let after: string | undefined;
  for (;;) {
    const ids = await staleChildReports(store.db, {
      limit,
      ...(after !== undefined ? { after } : {}),
      ...(opts.rebuild ? { all: true } : {}),
      ...(opts.reportIds ? { ids: opts.reportIds } : {}),
    });
    if (ids.length === 0) break;
    const inputs = await childReportInputs(store.db, ids);
    await writeChildReports(
      store,
      inputs.map((r) => {
        let mentions: StoredMention[] = [];
        try {
          mentions = mentionsOf(r.doc as CybertipReport, r.receivedAt).map((m) => ({ ...m, subjectId: r.subjectId, receivedAt: r.receivedAt }));
        } catch {
          // An unreadable document names no child; the report stays in the queue as it is.
        }
        return {
          reportId: r.reportId,
          inputs: r.inputs,
          facts: factsOf(r),
          mentions: mentions.map((m) => ({ mention: m.mention, doc: m, keys: meetingKeys(m) })),
        };
      }),
    );
    for (const id of ids) changed.push(id);
    after = ids[ids.length - 1];
    if (ids.length < limit) break;
  }
  return changed;
}

const earliest = (a: StoredMention, b: StoredMention): number =>
  (a.receivedAt ?? '9') < (b.receivedAt ?? '9')
    ? -1
    : (a.receivedAt ?? '9') > (b.receivedAt ?? '9')
      ? 1
      : a.reportId < b.reportId
        ? -1
        : a.reportId > b.reportId
          ? 1
          : a.mention - b.mention;

function childDoc(
  id: string,
  members: StoredMention[],
  facts: Map<string, ReportFacts>,
  payments: Map<string, { score: number; alerts: number; lastPaymentAt: string | null }>,
): Omit<Child, 'ageNow' | 'status' | 'steps' | 'danger' | 'ongoing'> & { ongoing: Omit<Child['ongoing'], 'recent'> } {
  const byTime = [...members].sort(earliest);
  const latest = byTime[byTime.length - 1]!;
  const named = [...byTime].reverse().find((m) => m.firstName) ?? null;
  const aged = [...byTime].reverse().find((m) => m.age !== null) ?? null;
  const reports = [...new Set(members.map((m) => m.reportId))].sort();
  const f = reports.map((r) => facts.get(r)).filter((x): x is ReportFacts => !!x);
  const subjects = [...new Set(f.map((x) => x.subjectId).filter((s): s is string => !!s))].sort();
  const pay = subjects.map((s) => payments.get(s)).filter((p) => !!p);
  const lastPaymentAt =
    pay
      .map((p) => p!.lastPaymentAt)
      .filter((t): t is string => !!t)
      .sort()
      .pop() ?? null;
  const latestFacts = [...f].sort((a, b) => ((a.receivedAt ?? '') < (b.receivedAt ?? '') ? -1 : 1)).pop();
  const bands = members.map((m) => m.band);
  const band = (['infant', 'under5', 'prepubescent', 'pubescent', 'minor'] as AgeBand[]).find((b) => bands.includes(b)) ?? 'minor';
  const people = new Map<string, { name: string | null; handle: string | null }>();
  for (const x of f) for (const p of x.people) people.set(`${p.name}|${p.handle}`, p);
  const lastNames = members.flatMap((m) => (m.lastName ? [nameKey(m.lastName)] : []));
  return {
    id,
    name: named ? [named.firstName, named.lastName].filter(Boolean).join(' ') : null,
    handle: byTime.find((m) => m.handle)?.handle ?? null,
    school: byTime.find((m) => m.school)?.school ?? null,
    band,
    age: aged?.age ?? null,
    firstSeen: byTime[0]!.receivedAt,
    lastSeen: latest.receivedAt,
    reports,
    subjects,
    place: {
      text: [...byTime].reverse().find((m) => m.place)?.place ?? null,
      provinceCode: latestFacts?.provinceCode ?? null,
      municipalityCode: latestFacts?.municipalityCode ?? null,
    },
    ongoing: { livestream: f.some((x) => x.livestream), escalation: f.some((x) => x.escalation), payments: pay.some((p) => p!.alerts > 0), lastPaymentAt },
    identified: [...new Set(f.flatMap((x) => x.identified))].sort(),
    people: [...people.values()],
    household: lastNames.some((n) => f.some((x) => x.surnames.includes(n))),
    annotations: [...new Set(members.flatMap((m) => m.annotations))].sort(),
  };
}

/** What a run did. */
export interface ChildrenSummary {
  reportsRead: number;
  /** Mentions regrouped (those the change could reach; all of them on a rebuild). */
  mentions: number;
  /** Children they form. */
  children: number;
  /** Children rewritten (new members or new facts). */
  childrenWritten: number;
  ms: number;
}

/**
 * The mentions a change may regroup and the children they formed: the changed reports' mentions,
 * the other members of their former children, and everything that meets them under a key, to a
 * fixed point. A delivery costs the children it touches, not every child.
 */
async function affected(store: Pick<Store, 'db'>, reports: string[]): Promise<{ mentions: StoredMention[]; oldChildren: string[] }> {
  const mentions = new Map<string, StoredMention>();
  const seenKeys = new Set<string>();
  const seenChildren = new Set<string>();
  let q = { reports, children: [] as string[], keys: [] as string[] };
  while (q.reports.length + q.children.length + q.keys.length > 0) {
    const found = await relatedMentions<StoredMention>(store.db, q);
    const keys: string[] = [];
    for (const m of found.mentions) {
      const id = `${m.reportId}:${m.mention}`;
      if (mentions.has(id)) continue;
      mentions.set(id, m);
      for (const k of meetingKeys(m))
        if (!seenKeys.has(k)) {
          seenKeys.add(k);
          keys.push(k);
        }
    }
    const children = found.children.filter((c) => !seenChildren.has(c));
    for (const c of children) seenChildren.add(c);
    q = { reports: [], children, keys };
  }
  return { mentions: [...mentions.values()], oldChildren: [...seenChildren] };
}

/** Runs the stage over new and changed reports. */
export async function runChildren(store: Pick<Store, 'db' | 'copy'>, opts: ChildrenOptions = {}): Promise<ChildrenSummary> {
  const t0 = Date.now();
  const changed = new Set(await updateMentions(store, opts));
  const { mentions, oldChildren } = opts.rebuild
    ? { mentions: await allMentions<StoredMention>(store.db), oldChildren: undefined }
    : await affected(store, [...changed]);
  const groups = cluster(mentions);
  const old = await childMembership(store.db, oldChildren);
  const oldMembers = new Map<string, string[]>();
  for (const [m, c] of old) (oldMembers.get(c) ?? oldMembers.set(c, []).get(c)!).push(m);
  const touched: { id: string; members: StoredMention[] }[] = [];
  const kept = new Set<string>();
  const newIdOf = new Map<string, string>();
  for (const g of groups) {
    const first = [...g].sort(earliest)[0]!;
    const id = `C-${first.reportId}-${first.mention}`;
    kept.add(id);
    const keys = g.map((m) => `${m.reportId}:${m.mention}`).sort();
    for (const k of keys) newIdOf.set(k, id);
    const before = (oldMembers.get(id) ?? []).sort();
    const same = before.length === keys.length && before.every((k, i) => k === keys[i]);
    if (!same || opts.rebuild || g.some((m) => changed.has(m.reportId))) touched.push({ id, members: g });
  }
  // A child whose id changed (an earlier report joined it) keeps its rescue history: its steps
  // move to the child that took most of its mentions.
  const renames: { from: string; to: string }[] = [];
  for (const [from, ms] of oldMembers) {
    if (kept.has(from)) continue;
    const votes = new Map<string, number>();
    for (const k of ms) {
      const to = newIdOf.get(k);
      if (to) votes.set(to, (votes.get(to) ?? 0) + 1);
    }
    const to = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (to) renames.push({ from, to });
  }
  const removed = [...oldMembers.keys()].filter((c) => !kept.has(c));
  const reportIds = [...new Set(touched.flatMap((t) => t.members.map((m) => m.reportId)))];
  const facts = await childFacts<ReportFacts>(store.db, reportIds);
  const payments = await subjectPayments(store.db, [...new Set([...facts.values()].map((f) => f.subjectId).filter((s): s is string => !!s))]);
  const steps = await rescueSteps(store.db, [...touched.map((t) => t.id), ...renames.map((r) => r.from)]);
  const statusOf = (id: string): string => {
    const own = steps.filter((s) => s.childId === id || renames.some((r) => r.to === id && r.from === s.childId));
    // Merged children take the furthest step either reached.
    return own.reduce<string>((best, s) => (RESCUE_STEPS.indexOf(s.step as RescueStep) > RESCUE_STEPS.indexOf(best as RescueStep) ? s.step : best), 'open');
  };
  const rows: ChildRow[] = touched.map((t) => {
    const doc = childDoc(t.id, t.members, facts, payments);
    return {
      childId: t.id,
      doc,
      status: statusOf(t.id),
      ongoing: Number(doc.ongoing.livestream) + Number(doc.ongoing.escalation) + Number(doc.ongoing.payments),
      youth: YOUTH[doc.band],
      identified: doc.identified.length > 0,
      lastSeen: doc.lastSeen,
      members: t.members.map((m) => ({ reportId: m.reportId, mention: m.mention })),
    };
  });
  await replaceChildren(store, removed, rows, renames);
  // A rescued child's new or changed reports are placed again (new material keeps them in the queue).
  const rescore: string[] = [];
  for (const r of rows) {
    if (r.status !== 'rescued' && r.status !== 'aftercare') continue;
    const own = steps.filter((s) => s.childId === r.childId || renames.some((n) => n.to === r.childId && n.from === s.childId));
    const rescued = await setRescuedReports(
      store.db,
      r.childId,
      own.find((s) => s.step === 'rescued' || s.step === 'aftercare')?.at ?? new Date().toISOString(),
    );
    for (const id of rescued) rescore.push(id);
  }
  await markPending(store.db, 'scores', rescore);
  return { reportsRead: changed.size, mentions: mentions.length, children: groups.length, childrenWritten: rows.length, ms: Date.now() - t0 };
}

const DAY = 86_400_000;

/** The stored doc completed for the reader's clock: age now, recency, status, steps and the reasons for its place. */
function present(stored: { childId: string; doc: unknown; status: string }, steps: RescueStepRow[], now: Date, recentDays: number): Child {
  const d = stored.doc as ReturnType<typeof childDoc>;
  const years = d.lastSeen ? (now.getTime() - Date.parse(d.lastSeen)) / (365.25 * DAY) : 0;
  const recent = d.lastSeen !== null && now.getTime() - Date.parse(d.lastSeen) <= recentDays * DAY;
  const paymentsFlowing = d.ongoing.payments && d.ongoing.lastPaymentAt !== null && now.getTime() - Date.parse(d.ongoing.lastPaymentAt) <= recentDays * DAY;
  const danger: string[] = [];
  if (stored.status === 'rescued' || stored.status === 'aftercare') danger.push('rescued');
  if (recent) danger.push('recent');
  if (d.ongoing.escalation) danger.push('escalation');
  if (d.ongoing.livestream) danger.push('livestream');
  if (paymentsFlowing) danger.push('payments');
  if (YOUTH[d.band] > 0) danger.push(d.band);
  if (d.identified.length === 0) danger.push('unidentified');
  if (d.household) danger.push('household');
  return {
    ...d,
    ageNow: d.age === null ? null : Math.floor(d.age + Math.max(0, years)),
    ongoing: { ...d.ongoing, recent, payments: paymentsFlowing },
    status: stored.status as Child['status'],
    steps: steps.filter((s) => s.childId === stored.childId),
    danger,
  };
}

/** Children in danger order (docs/children.md). */
export async function children(
  store: Pick<Store, 'db'>,
  opts: { now?: Date; limit?: number; offset?: number; status?: string; recentDays?: number; visibleTo?: VisibleTo } = {},
): Promise<{ total: number; items: Child[] }> {
  const now = opts.now ?? new Date();
  const recentDays = opts.recentDays ?? 30;
  const page = await listChildren(store.db, {
    now,
    recentDays,
    limit: opts.limit ?? 50,
    offset: opts.offset ?? 0,
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.visibleTo ? { visibleTo: opts.visibleTo } : {}),
  });
  const steps = await rescueSteps(
    store.db,
    page.items.map((c) => c.childId),
  );
  return { total: page.total, items: page.items.map((c) => present(c, steps, now, recentDays)) };
}

/**
 * A child as seen through some of its reports only: name, age, place, people, flags and danger are
 * drawn from those reports' mentions and facts, so a report the viewer may not see tells them
 * nothing. The rescue status and steps stay the child's own.
 */
export async function childSeenThrough(store: Pick<Store, 'db'>, c: Child, reportIds: ReadonlySet<string>, now = new Date(), recentDays = 30): Promise<Child> {
  const found = await relatedMentions<StoredMention>(store.db, { reports: [], children: [c.id], keys: [] });
  const members = found.mentions.filter((m) => reportIds.has(m.reportId));
  if (members.length === 0) {
    return {
      ...c,
      name: null,
      handle: null,
      school: null,
      age: null,
      ageNow: null,
      firstSeen: null,
      lastSeen: null,
      reports: [],
      subjects: [],
      place: { text: null, provinceCode: null, municipalityCode: null },
      ongoing: { recent: false, livestream: false, escalation: false, payments: false, lastPaymentAt: null },
      identified: [],
      people: [],
      household: false,
      annotations: [],
      danger: [],
    };
  }
  const facts = await childFacts<ReportFacts>(store.db, [...new Set(members.map((m) => m.reportId))]);
  const payments = await subjectPayments(store.db, [...new Set([...facts.values()].map((f) => f.subjectId).filter((x): x is string => !!x))]);
  return present({ childId: c.id, doc: childDoc(c.id, members, facts, payments), status: c.status }, c.steps, now, recentDays);
}

/** One child, or undefined. */
export async function child(store: Pick<Store, 'db'>, id: string, now = new Date()): Promise<Child | undefined> {
  const c = await getChild(store.db, id);
  return c ? present(c, await rescueSteps(store.db, [id]), now, 30) : undefined;
}
