// The letters shipped with Bantay: a preservation request to the reporting ESP and a subscriber
// request to the carrier of an IP address. Agencies replace the wording with their own (stored
// under the same name, by an administrator); the legal bases follow docs/domain.md §6.4 and §7.2
// (US 18 U.S.C. 2703(f) and 2258A(h) preservation; RA 10175 section 13 preservation of traffic
// data; subscriber data answers need IP, source port and exact time with its zone behind CGNAT).

/** The letters Bantay writes. */
export const LETTER_KINDS = ['preservation-request', 'subscriber-request'] as const;
/** One letter kind (also the name of its template). */
export type LetterKind = (typeof LETTER_KINDS)[number];

/** The shipped preservation request (to the ESP). */
export const DEFAULT_PRESERVATION_LETTER = `# {{#if agency}}{{agency}}{{else}}Department of Justice – Office of Cybercrime{{/if}}
## Request to preserve records: {{#if letter.esp}}{{letter.esp}}{{else}}the reporting provider{{/if}}

**Date:** {{date}}{{#if reference}} · **Reference:** {{reference}}{{/if}}

**To:** {{#if letter.esp}}{{letter.esp}}{{else}}the electronic service provider{{/if}}, law-enforcement response team

**Subject:** preservation of records concerning CyberTipline {{plural reportCount "report" "reports"}} {{join letter.reportIds ", "}}

This office investigates possible online sexual exploitation of children reported through the National Center for Missing & Exploited Children (NCMEC). We ask you to preserve, pending legal process, every record you hold about the accounts below: subscriber information, IP and session logs with source ports and time zones, account content, messages and files, for as long as the law allows (United States: 18 U.S.C. § 2703(f) and § 2258A(h); Philippines: RA 10175 § 13).

{{#each letter.accounts}}
- {{this}}
{{/each}}

{{#if letter.deadline}}
> The earliest preservation deadline Bantay computes for {{plural reportCount "this report" "these reports"}} is {{datetime letter.deadline}}{{#if letter.overdue}}: it has passed, so please tell us what you still hold{{/if}}.

{{/if}}
[[table reports]]

Please confirm the preservation and its reference number to this office. Do not notify the account holders: disclosure may endanger a child or the investigation.

{{#if preparedBy}}
**Prepared by:** {{preparedBy}}
{{/if}}
`;

/** The shipped subscriber request (to the carrier of the IP addresses). */
export const DEFAULT_SUBSCRIBER_LETTER = `# {{#if agency}}{{agency}}{{else}}Department of Justice – Office of Cybercrime{{/if}}
## Request for subscriber information: {{#if letter.carrier}}{{letter.carrier}}{{else}}the network operator{{/if}}

**Date:** {{date}}{{#if reference}} · **Reference:** {{reference}}{{/if}}

**To:** {{#if letter.carrier}}{{letter.carrier}}{{#if letter.asn}} ({{letter.asn}}){{/if}}{{else}}the network operator{{/if}}, law-enforcement liaison

**Subject:** subscriber behind {{letter.rows}} IP {{plural letter.rows "session" "sessions"}} (CyberTipline {{plural reportCount "report" "reports"}} {{join letter.reportIds ", "}})

In an investigation of possible online sexual exploitation of children, this office asks for the subscriber assigned each address below at the exact time shown (UTC), with the source port where given: name, address, contact details and the service's start date. Please preserve the records first (RA 10175 § 13) if legal process must follow.

[[table ips]]

{{#if letter.withoutPort}}
> {{letter.withoutPort}} of these {{plural letter.rows "session has" "sessions have"}} no source port: behind carrier-grade NAT a subscriber can only be named from IP, port and exact time; tell us if you cannot answer without the port.

{{/if}}
The network operator of each address is taken from offline IP data ({{ipAttribution}}); please tell us if an address is not yours.

{{#if preparedBy}}
**Prepared by:** {{preparedBy}}
{{/if}}
`;

/** The shipped text of each letter, with a description. */
export const DEFAULT_LETTERS: Record<LetterKind, { body: string; description: string }> = {
  'preservation-request': { body: DEFAULT_PRESERVATION_LETTER, description: 'Preservation request to the reporting ESP (shipped)' },
  'subscriber-request': { body: DEFAULT_SUBSCRIBER_LETTER, description: 'Subscriber request to the carrier of the IP addresses (shipped)' },
};
