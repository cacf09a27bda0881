// Shapes of the HTTP API as docs/api.md describes them. Fields the server may add later are optional.
// Where the server's own type is the response, it is imported (types only; nothing of the server is bundled).
import type { FieldChange, VersionChanges } from '../../../src/model/version-diff.ts';
import type { StoredWarninglist } from '../../../src/store/warninglists.ts';
import type { IngestSummary } from '../../../src/ingest/run.ts';
import type { ImportSummary } from '../../../src/hashes/import.ts';

export type { FieldChange };

/** A role, from least to most powerful (auditor is a side role). */
export type Role = 'analyst' | 'supervisor' | 'admin' | 'auditor';

/** The signed-in user. */
export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  team?: string | null;
  locale?: string | null;
}

/** `GET /api/auth/me` and `POST /api/auth/login`. */
export interface Session {
  user: User;
  csrfToken: string;
}

/** One rule's contribution to a report's rank. */
export interface Reason {
  rule: string;
  effect: number | string;
  evidence?: string | null;
  description?: string | null;
  /** Catalogue key of the rule's text (shipped rules); null for an agency's own wording. */
  textKey?: string | null;
}

/** Work status of a report. */
export type WorkStatus = 'new' | 'in_review' | 'escalated' | 'referred' | 'closed';

/** One row of the queue. */
export interface QueueItem {
  reportId: string;
  tier: string | null;
  /** A child at immediate risk: ahead of the rest of its tier, whatever the score. */
  firstInTier?: boolean;
  harm: number | null;
  actionability: number | null;
  score?: number | null;
  reasons: Reason[];
  receivedAt: string;
  incidentType?: string | null;
  esp?: string | null;
  provinceCode?: string | null;
  ageDays?: number | null;
  preservationDeadline?: string | null;
  assignee?: string | null;
  status: WorkStatus | string;
  /** The viral batch key (representative hash of the viral content, e.g. md5:…), null when not viral. */
  viralBatch?: string | null;
  /** Open reports in that batch the caller sees. */
  viralBatchOpen?: number | null;
  /** NCMEC batched the report as viral (with or without a batch key). */
  espBatched?: boolean;
  held?: boolean;
  deconflicted?: { caseId: string } | null;
}

/** `GET /api/queue`. */
export interface QueuePage {
  total: number;
  items: QueueItem[];
}

/** An identifier on a report, with what enrichment found. */
export interface Identifier {
  kind: string;
  value: string;
  role?: string | null;
  strength?: number | string | null;
  enrichment?: Record<string, unknown> | null;
}

/** A linked report and why it is linked. */
export interface LinkedReport {
  reportId: string;
  reasons: Array<string | { kind?: string; value?: string; strength?: number | string; reason?: string }>;
}

/** A note on a report. */
export interface Note {
  id?: string;
  author?: string;
  text: string;
  createdAt?: string;
  reportVersion?: number | null;
}

/** Another agency's active case holding an identifier of a report or subject (an imported deconfliction file). */
export interface ExternalMark {
  agency: string;
  contact: string;
  since: string;
  expiresAt: string;
  via: 'report' | 'subject';
  kinds: string[];
}

/** `GET /api/reports/:id`. Sub-documents are loosely typed: the page shows what is there. */
export interface ReportDetail {
  summary: Record<string, unknown> & { reportId?: string; tier?: string; receivedAt?: string; incidentType?: string; esp?: string; provinceCode?: string };
  report: Record<string, unknown>;
  score?: {
    tier?: string;
    harm?: number;
    actionability?: number;
    score?: number;
    reasons?: Reason[];
    rulesetVersion?: string | number;
    preservationDeadline?: string | null;
  } | null;
  identifiers: Identifier[];
  /** The stored enrichment (carriers, ASNs, countries, province) with the IP data's attribution. */
  enrichment?: Record<string, unknown> | null;
  files: Array<Record<string, unknown>>;
  versions: Array<Record<string, unknown>>;
  links: LinkedReport[];
  subject?: { id: string; label?: string } | string | null;
  deconfliction?: { caseId: string; since?: string } | null;
  externalDeconfliction?: ExternalMark[];
  work: {
    status: string;
    closeReason?: string | null;
    assignee?: string | null;
    assigneeId?: number | null;
    held?: boolean;
    notes: Note[];
    referrals?: Array<{ id?: number; agency: string; type: string; sentAt: string; sentBy?: string | null; comment?: string | null }>;
  };
}

/** A node of the link graph. */
export interface GraphNode {
  id: string;
  type: string;
  label: string;
  hub?: boolean;
}

/** An edge of the link graph. */
export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  strength: number | string;
}

/** `GET /api/subjects/:id`. */
export interface SubjectDetail {
  id: string;
  reports: Array<{
    reportId: string;
    receivedAt?: string | null;
    tier?: string | null;
    incidentType?: string | null;
    esp?: string | null;
    status?: string;
    assignee?: string | null;
  }>;
  identifiers: Array<Identifier & { reportCount?: number }>;
  /** Pairs sharing evidence, with the rule that links them (null: joined through other reports or by an analyst). */
  links?: Array<{ a: string; b: string; rule?: string | null; reasons: Array<{ kind: string; value: string; strength: string }> }>;
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  externalDeconfliction?: ExternalMark[];
  hiddenReports?: number;
  suspect?: { tier: string; score: number; reasons: Array<{ rule: string; effect: string; evidence: string; description: string }> } | null;
  work?: {
    status: string;
    closeReason: string | null;
    assignee: string | null;
    assigneeId: number | null;
    notes: Array<{ id: number; author: string | null; text: string; createdAt: string }>;
    referrals: Array<{ id: number; agency: string; type: string; sentAt: string }>;
  };
}

/** `GET /api/search`. */
export interface SearchResult {
  kind: string;
  value: string;
  reportIds: string[];
  subjectIds: string[];
  deconflicted?: Array<{ reportId: string; caseId: string }>;
}

/** `GET /api/stats/provinces`. */
export interface ProvinceStat {
  provinceCode: string;
  count: number;
  urgent: number;
}

/** `GET /api/stats/world`. */
export interface WorldStat {
  country: string;
  reporters: number;
  payers: number;
}

/** `GET /api/reports/:id/versions`. */
export interface ReportVersions {
  reportId: string;
  versions: Array<{
    version: number;
    contentHash: string;
    receivedAt: string | null;
    ingestedAt: string;
    source: string;
    changes: VersionChanges | null;
  }>;
}

/** `GET /api/assignees`: someone a supervisor may assign work to. */
export interface Assignee {
  id: number;
  username: string;
  displayName: string;
  role: string;
  team: string | null;
}

/** `GET /api/warninglists`. */
export type Warninglist = StoredWarninglist;

/** `GET /api/suspects`: one ranked subject. */
export interface SuspectRow {
  subjectId: string;
  tier: string;
  score: number;
  reportCount: number;
  hiddenReports: number;
  esps: string[];
  reasons: Array<{ rule: string; effect: string; evidence: string; description: string }>;
  status: string;
  assignee: string | null;
}

/** A payment party's score in one role. */
export interface PartyScore {
  role: 'sender' | 'receiver';
  score: number;
  alerted: boolean;
  reasons: Array<{ rule: string; points: number | null; why: string; evidence: string }>;
}

/** `GET /api/payments/parties`: one party. */
export interface PartySummary {
  partyId: string;
  label: string;
  country: string | null;
  keys: string[];
  customers: string[];
  sent: number;
  received: number;
  scores: PartyScore[];
  reportIds: string[];
  subjectIds: string[];
  hiddenReports: number;
}

/** A money flow: parties and the payments between them. */
export interface MoneyFlow {
  nodes: Array<{ id: string; role: string; label: string; country: string | null; flagged: boolean; score: number | null }>;
  edges: Array<{ from: string; to: string; amount: number; currency: string; amountPhp: number; count: number; first: string; last: string }>;
}

/** `GET /api/cases/:id`. */
export interface CaseDetailData {
  id: string;
  title: string;
  leadId: number;
  lead: string | null;
  status: string;
  closeReason: string | null;
  createdAt: string;
  closedAt: string | null;
  items: Array<{ kind: string; itemId: string; addedAt: string }>;
  legalStatus: string;
  reports: Array<{
    reportId: string;
    tier: string | null;
    score: number | null;
    receivedAt: string | null;
    incidentType: string | null;
    esp: string | null;
    status: string;
    assignee: string | null;
    viaSubject: string | null;
  }>;
  hiddenReports: number;
  subjects: Array<{ id: string; inCase: boolean; tier: string | null; score: number | null; reports: number }>;
  log: Array<{
    id: number;
    kind: string;
    author: string | null;
    at: string;
    channel: string | null;
    direction: string | null;
    counterpart: string | null;
    text: string;
  }>;
  attachments: Array<{
    id: number;
    name: string;
    sha256: string;
    md5: string | null;
    bytes: number | null;
    note: string | null;
    addedBy: string | null;
    addedAt: string;
  }>;
  referrals: Array<{ id: number; agency: string; type: string; sentAt: string }>;
}

/** A partner agency. */
export interface Agency {
  code: string;
  name: string;
  purpose: string;
  enabled: boolean;
}

/** A job (GET /api/jobs, GET /api/jobs/:id): long work the server runs outside the request. */
export interface Job {
  id: string;
  kind: string;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: { stage?: string; done?: number; total?: number; note?: string } | null;
  result: unknown;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  requestedBy: number | null;
  requestedByName: string | null;
  hasFile: boolean;
  /** An upload's files, as they were named when uploaded. */
  files?: string[];
}

/** What an ingest job returns: the ingest summary and the processing job it queued. */
export type IngestResult = IngestSummary & { processJob: string };

/** What a processing job returns (src/jobs/tasks.ts). */
export interface ProcessResult {
  stages: { stage: string; keys: number; written: number; ms: number }[];
  reportsLinked: number;
  subjects: number;
  scored: number;
}

/** What a hash list import returns, with the processing job that applies it (null when nothing changed). */
export type HashListImportResult = ImportSummary & { processJob: string | null };

/** Something ingest set aside (GET /api/quarantine). */
export interface QuarantineItem {
  id: number;
  file: string;
  entry: string | null;
  line: number | null;
  column: number | null;
  reportId: string | null;
  reason: string;
  count: number;
  lastSeenAt: string;
}

/** What an upload may be (GET /api/ingest). */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  extensions: string[];
}
