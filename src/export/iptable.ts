// The IP table police send to a carrier: one row per IP capture event of the reports, with the
// UTC time, port, event, proxy flag, what the address is (private, CGNAT, VPN…), where the
// offline data places it, NCMEC's own lookup beside it, and a warning where a carrier behind
// carrier-grade NAT could not answer (no port or no time; domain.md §7.2).

import { classifyIp } from '../enrich/ip.ts';
import type { IpGeoInfo } from '../enrich/ip-geo.ts';
import { IP_DATA_ATTRIBUTION } from '../enrich/ip-geo.ts';
import type { WarninglistSet } from '../enrich/warninglists.ts';
import { deriveEsp, type CybertipReport, type IpCaptureEvent, type Party } from '../model/report.ts';
import { utcOf, type Sheet } from './tabular.ts';

/** An offline IP geolocation database (src/enrich/ip-geo.ts openIpGeo(); a plain object in tests). */
export interface IpGeoSource {
  lookup(ip: string): IpGeoInfo | undefined;
  /** Release of the data, printed with the attribution (domain.md §7.5: record the database and its date). */
  readonly dataVersion?: string;
}

export type { IpGeoInfo };

/** One row of the IP table. */
export interface IpRow {
  reportId: string;
  esp: string | null;
  /** Where in the report the event is: `reported person 1`, `reported person 1, Billing account`, `file F1`… */
  source: string;
  /** The account the event belongs to: ESP user id and/or screen name. */
  account: string;
  /** The address as written (canonical form when it parses). */
  ip: string;
  /** UTC ISO time, or null when absent or unreadable. */
  utc: string | null;
  /** The time as the ESP wrote it (with its own offset). */
  timeWritten: string | null;
  port: number | null;
  event: string | null;
  /** The ESP's possibleProxy flag. */
  possibleProxy: boolean | null;
  /** What the address is: not-an-IP, private, CGNAT, warninglist names (VPN, relay, public DNS, cloud). */
  flags: string[];
  geo: IpGeoInfo | null;
  /** NCMEC's envelope lookup of the same address, when present. */
  ncmec: { country?: string; region?: string; city?: string; isp?: string; asn?: string } | null;
  /** Why a subscriber lookup on this row may fail. */
  warnings: string[];
}

/** Optional knowledge the table uses. */
export interface IpTableOptions {
  geo?: IpGeoSource | undefined;
  warninglists?: WarninglistSet | undefined;
}

/** The CGNAT warning when the source port is missing (domain.md §7.2). */
export const NO_PORT_WARNING =
  'No source port: behind carrier-grade NAT (usual on mobile networks) the carrier needs IP, port and exact time to name a subscriber; ask the ESP for the port';
/** The warning when the time is missing. */
export const NO_TIME_WARNING = 'No time: a subscriber lookup needs the exact time with its time zone';

function accountOf(p: { espIdentifier?: string | undefined; screenName?: string | undefined; espService?: string | undefined }): string {
  const name = p.screenName?.trim().replace(/^@+/, '');
  return [p.espIdentifier?.trim() && `user ID ${p.espIdentifier.trim()}`, name && `screen name ${name}`].filter(Boolean).join(', ');
}

interface Sighting {
  reportId: string;
  esp: string | null;
  source: string;
  account: string;
  event: IpCaptureEvent;
}

/** Every IP capture event of a report with where it was found, in document order. */
export function ipSightings(report: CybertipReport): Sighting[] {
  const esp = deriveEsp(report);
  const out: Sighting[] = [];
  const push = (source: string, account: string, events: IpCaptureEvent[]): void => {
    for (const event of events) out.push({ reportId: report.reportId, esp, source, account, event });
  };
  const parties = (label: string, list: Party[]): void => {
    list.forEach((p, i) => {
      const name = `${label} ${i + 1}`;
      push(name, accountOf(p), p.ipCaptureEvents);
      for (const a of p.associatedAccounts) push(`${name}, ${a.type} account${a.platform ? ` (${a.platform})` : ''}`, accountOf(a), a.ipCaptureEvents);
    });
  };
  parties('reported person', report.reportedPersons);
  parties('intended recipient', report.intendedRecipients);
  parties('victim', report.victims);
  for (const f of report.files) if (f.ipCaptureEvent) push(`file ${f.fileId}${f.fileName ? ` (${f.fileName})` : ''}`, '', [f.ipCaptureEvent]);
  report.internetDetails.forEach((d) => {
    if (d.kind === 'peer2peer') push(`peer-to-peer${d.client ? ` (${d.client})` : ''}`, '', d.ipCaptureEvents);
  });
  return out;
}

/** The IP table rows of some reports: per report in the order given, each report's events oldest first. */
export function ipTableRows(reports: CybertipReport[], opts: IpTableOptions = {}): IpRow[] {
  const rows: IpRow[] = [];
  for (const report of reports) {
    const lookups = new Map<string, IpRow['ncmec']>();
    for (const l of report.envelope.ipLookups) {
      const c = classifyIp(l.ipAddress);
      const { ipAddress: _ip, ...rest } = l;
      lookups.set(c?.ip ?? l.ipAddress.trim(), rest);
    }
    const mine: IpRow[] = [];
    for (const s of ipSightings(report)) {
      const e = s.event;
      const written = e.ipAddress.trim();
      const cls = classifyIp(written);
      const ip = cls?.ip ?? written;
      const flags: string[] = [];
      const warnings: string[] = [];
      const utc = utcOf(e.dateTime);
      if (!cls) flags.push(written === '' ? 'no address' : 'not an IP address');
      else if (cls.cgnat) flags.push('CGNAT shared space (RFC 6598): carrier-internal, not a subscriber address');
      else if (cls.nonPublic) flags.push(`not public (${cls.range})`);
      if (e.possibleProxy) flags.push('possible proxy (ESP)');
      if (cls) for (const h of opts.warninglists?.hits(cls.ip) ?? []) flags.push(h.list);
      const publicIp = cls !== undefined && !cls.nonPublic;
      if (publicIp) {
        if (cls.version === 4 && e.port === undefined) warnings.push(NO_PORT_WARNING);
        if (!utc) warnings.push(e.dateTime ? `Time "${e.dateTime}" is not a readable date-time: ${NO_TIME_WARNING.toLowerCase()}` : NO_TIME_WARNING);
      }
      mine.push({
        reportId: s.reportId,
        esp: s.esp,
        source: s.source,
        account: s.account,
        ip,
        utc,
        timeWritten: e.dateTime ?? null,
        port: e.port ?? null,
        event: e.eventName ?? null,
        possibleProxy: e.possibleProxy ?? null,
        flags,
        geo: publicIp ? (opts.geo?.lookup(ip) ?? null) : null,
        ncmec: lookups.get(ip) ?? null,
        warnings,
      });
    }
    mine.sort((a, b) => (a.utc === null ? 1 : 0) - (b.utc === null ? 1 : 0) || (a.utc ?? '').localeCompare(b.utc ?? ''));
    for (const r of mine) rows.push(r);
  }
  return rows;
}

const yesNo = (b: boolean | null): string => (b === null ? '' : b ? 'yes' : 'no');

/** The rows as a sheet for CSV or XLSX, with the attribution and the meaning of the warnings as notes. */
export function ipTableSheet(rows: IpRow[], opts: { title?: string; geoVersion?: string | undefined } = {}): Sheet {
  const notes: string[] = [];
  if (rows.some((r) => r.warnings.includes(NO_PORT_WARNING))) notes.push(`CGNAT: ${NO_PORT_WARNING}.`);
  notes.push('Times are UTC (ISO 8601); "Time as written" keeps the ESP\'s own offset.');
  notes.push(
    'Flags: the address class from IANA special-use ranges (private, CGNAT 100.64.0.0/10) and any warninglist it is on (VPN, relay, public DNS, cloud); "possible proxy" is the ESP\'s own flag.',
  );
  notes.push(
    `${IP_DATA_ATTRIBUTION}${opts.geoVersion ? ` Data: ${opts.geoVersion}.` : ''} A location is approximate and describes the carrier's allocation, not a subscriber's home.`,
  );
  return {
    title: opts.title ?? 'IP addresses',
    headers: [
      'Report',
      'ESP',
      'Source',
      'Account',
      'IP address',
      'UTC time',
      'Time as written',
      'Port',
      'Event',
      'Possible proxy',
      'Flags',
      'Carrier / organisation',
      'ASN',
      'Country',
      'Region',
      'City',
      'NCMEC country',
      'NCMEC region',
      'NCMEC city',
      'NCMEC ISP',
      'NCMEC ASN',
      'Warning',
    ],
    widths: [12, 14, 24, 22, 22, 22, 26, 7, 12, 8, 30, 24, 9, 8, 16, 14, 8, 14, 14, 18, 9, 60],
    rows: rows.map((r) => [
      r.reportId,
      r.esp,
      r.source,
      r.account,
      r.ip,
      r.utc,
      r.timeWritten,
      r.port,
      r.event,
      yesNo(r.possibleProxy),
      r.flags.join('; '),
      r.geo?.org,
      r.geo?.asn !== undefined ? `AS${r.geo.asn}` : null,
      r.geo?.country,
      r.geo?.region,
      r.geo?.city,
      r.ncmec?.country,
      r.ncmec?.region,
      r.ncmec?.city,
      r.ncmec?.isp,
      r.ncmec?.asn,
      r.warnings.join(' '),
    ]),
    notes,
  };
}
