// The template shipped with Bantay: an initial report in the style the Philippine Department of
// Justice – Office of Cybercrime (DOJ-OOC) sends with a CyberTipline referral. Agencies copy it
// (`bantay export template export`), edit the wording and import their own under a new name.
// The legal wording follows docs/domain.md §4.4 and §7.2; the Philippine position on unviewed
// files is unverified there, and the text says so.

/** Name of the shipped template. */
export const DEFAULT_TEMPLATE_NAME = 'ph-doj-ooc-initial';

/** The shipped template's text. */
export const DEFAULT_TEMPLATE = `# {{#if agency}}{{agency}}{{else}}Department of Justice – Office of Cybercrime{{/if}}
## Initial Report{{#if single}}: CyberTipline Report {{report.reportId}}{{else}}: {{target.label}} ({{reportCount}} CyberTipline reports){{/if}}

**Date:** {{date}}{{#if reference}} · **Reference:** {{reference}}{{/if}}
{{#if recipient}}

**To:** {{recipient}}
{{/if}}

**Subject:** {{#if single}}{{report.incidentType}} reported by {{#if report.esp}}{{report.esp}}{{else}}an electronic service provider{{/if}}{{else}}{{reportCount}} related reports ({{#if esp}}{{esp}}{{else}}ESP not stated{{/if}}){{/if}}

{{#if escalated}}
> URGENT: the ESP marked {{#if single}}this report{{else}}at least one of these reports{{/if}} for escalation because a child may be at immediate risk. Act on it before the routine steps below.

{{/if}}
## 1. Source of the information

This office received {{#if single}}the CyberTipline report below{{else}}the CyberTipline reports below{{/if}} from the National Center for Missing & Exploited Children (NCMEC), which forwards reports made by electronic service providers (ESPs) under United States law. {{#if single}}The report concerns{{else}}The reports concern{{/if}} possible online sexual exploitation of children with a connection to the Philippines.

[[table reports]]

{{#if missingReports.length}}
> {{missingReports.length}} report(s) named by this {{target.kind}} are not in the database: {{join missingReports ", "}}.

{{/if}}
## 2. Reported persons and accounts

{{#each reports}}
{{#each reported}}
- **{{label}}**{{#if screenName}}, screen name {{screenName}}{{/if}}{{#if espIdentifier}}, ESP user ID {{espIdentifier}}{{/if}}{{#if espService}} on {{espService}}{{/if}}{{#if emails.length}}; e-mail {{join emails ", "}}{{/if}}{{#if phones.length}}; phone {{join phones ", "}}{{/if}} (report {{../reportId}})
{{else}}
- Report {{reportId}} names no reported person.
{{/each}}
{{/each}}

{{#if (includes annotations "sextortion")}}
The ESP annotated the incident as **sextortion**. Sextortion is hours-critical: contact the victim and preserve the account data without delay.

{{/if}}
## 3. IP addresses

{{#if ips.count}}
The ESP captured {{ips.count}} IP {{plural ips.count "event" "events"}}{{#if ips.countries.length}}; the offline geolocation data places the public addresses in {{join ips.countries ", "}}{{/if}}{{#if ips.carriers.length}} (networks: {{join ips.carriers "; "}}){{/if}}.

[[table ips]]

{{#if ips.withoutPort}}
**Carrier-grade NAT.** {{ips.withoutPort}} IPv4 {{plural ips.withoutPort "event was" "events were"}} reported without a source port. Most mobile carriers, reportedly the main Philippine ones among them, share one public address among many subscribers (carrier-grade NAT); a subscriber can then only be identified from the IP address, the source port and the exact time together. A request to the carrier for these events may return no subscriber or several; request the port from the ESP first.

{{/if}}
{{#if ips.withoutTime}}
{{ips.withoutTime}} public IP {{plural ips.withoutTime "event has" "events have"}} no usable time. A carrier cannot name a subscriber without the exact date, time and time zone.

{{/if}}
{{#if ips.proxy}}
{{ips.proxy}} IP {{plural ips.proxy "event is" "events are"}} flagged as a possible proxy, VPN or relay: the address may belong to an anonymising service rather than to the subscriber.

{{/if}}
> {{ipAttribution}}

{{else}}
The report{{#unless single}}s contain{{else}} contains{{/unless}} no IP address.

{{/if}}
## 4. Files

{{#if files.count}}
The ESP reported {{files.count}} {{plural files.count "file" "files"}} (metadata and hashes only; this office did not view any imagery).{{#if files.classifications.length}} Industry classification: {{join files.classifications ", "}}.{{/if}}{{#if files.known}} {{files.known}} {{plural files.known "file matches" "files match"}} a hash list.{{/if}}{{#if files.viral}} {{files.viral}} {{plural files.viral "file is" "files are"}} recirculating (viral or meme) content.{{/if}}{{#if files.new}} {{files.new}} {{plural files.new "file has" "files have"}} not been seen before and may show a child not yet identified.{{/if}}

[[table files]]

{{#if files.notViewed}}
**Files not viewed by the ESP.** {{files.notViewed}} {{plural files.notViewed "file was" "files were"}} not viewed by the ESP's staff. A warrant may be needed before law enforcement opens {{plural files.notViewed "it" "them"}}: in United States v. Wilson (9th Cir. 2021) police needed a warrant to open files the provider had flagged by hash but no employee had viewed. Courts differ, and the position under Philippine law is unverified; seek legal advice, or a warrant, before viewing.

{{/if}}
{{#if files.notStated}}
For {{files.notStated}} {{plural files.notStated "file" "files"}} the ESP did not say whether staff viewed {{plural files.notStated "it" "them"}}: treat {{plural files.notStated "it" "them"}} as not viewed until the ESP confirms.

{{/if}}
{{else}}
No file was reported.

{{/if}}
{{#if linkedCount}}
## 5. Related reports

Bantay links {{linkedCount}} other {{plural linkedCount "report" "reports"}} to {{#if single}}this report{{else}}these reports{{/if}} through shared identifiers:

[[table linked]]

{{/if}}
## {{#if linkedCount}}6{{else}}5{{/if}}. Provider-specific notes

{{#if (or (includes esps "Facebook") (includes esps "Instagram") (includes esps "WhatsApp") (includes esps "Messenger"))}}
- Meta (Facebook, Instagram, Messenger, WhatsApp) takes preservation and legal-process requests from law enforcement through its online records request system. Ask for preservation at once: data is kept only for a limited period.
{{/if}}
{{#if (includes esps "Google")}}
- Google (including YouTube) takes law-enforcement requests through its Law Enforcement Request System. Ask for preservation at once.
{{/if}}
{{#if (or (includes esps "TikTok") (includes esps "Snapchat") (includes esps "Discord") (includes esps "X") (includes esps "Telegram") (includes esps "Bigo Live") (includes esps "Kumu"))}}
- {{esp}}: send a preservation request to the provider's law-enforcement contact as soon as possible; providers keep data for a limited period.
{{/if}}
- Ask every provider to preserve the accounts named above before any other step.

## {{#if linkedCount}}7{{else}}6{{/if}}. Recommendation

{{#if recipient}}This office refers the matter to {{recipient}} for investigation{{else}}This office recommends investigation{{/if}}{{#if ips.philippine}}: {{ips.philippine}} IP {{plural ips.philippine "event" "events"}} resolve to Philippine networks{{/if}}.

{{#if preparedBy}}
**Prepared by:** {{preparedBy}}
{{/if}}
`;
