// Free text for reports and payments. Deliberately non-graphic: it carries the signals an analyst
// reads (payment talk, urgency, threats) without describing abuse. Placeholders in braces are
// filled by the generator: {wallet} a written e-wallet number, {amount} a sum, {name} a first name,
// {hours} a count, {handle} a screen name, {age} an age.

/** Chat lines in which a customer and a facilitator arrange a paid "show" (domain.md §3, §9). */
export const LIVESTREAM_CHAT = [
  'customer: you free tonight? same as last time\nfacilitator: yes po, 10pm here. payment first po\nfacilitator: gcash {wallet}\ncustomer: sent {amount}',
  'customer: is the little one there\nfacilitator: yes sir, after school. pls send load first\nfacilitator: {wallet} (gcash)\ncustomer: ok sending {amount} now',
  'facilitator: good morning sir, kids are waiting for the show\nfacilitator: send to {wallet} pls, for milk and school\ncustomer: {amount} ok?',
  'customer: how much for private cam\nfacilitator: {amount} sir, send padala to {wallet}\nfacilitator: i will call you on video after',
  'facilitator: sir {name} here, tonight ok? same price\ncustomer: will send you {amount} later\nfacilitator: thank you sir, gcash {wallet}',
] as const;

/** What the ESP says about a livestream-related account. */
export const LIVESTREAM_INFO = [
  'Account engaged in conversations suggesting paid live video sessions involving minors in the household.',
  'User appears to arrange live video calls with foreign adults in exchange for e-wallet payments.',
  'Reported account sent payment details and referred to "shows" with children present.',
] as const;

/** Sextortion chat, from the offender's side (domain.md §3). */
export const SEXTORTION_CHAT = [
  'offender: i have your pics. pay {amount} in {hours} hours or i send to all your followers and your school\nvictim: please dont i will pay',
  'offender: send {amount} gift card now or your family sees everything\nvictim: i only have a little\noffender: then send what you have first',
  'offender: last chance. {amount} to {wallet} or i post it\nvictim: i sent it please delete\noffender: send more',
] as const;

/** Sextortion summaries an ESP writes. */
export const SEXTORTION_INFO = [
  'Adult user posing as a teenage girl obtained images from a minor and is demanding payment under threat of distribution.',
  "Financial sextortion: user threatened to send images to the minor's contacts unless paid.",
] as const;

/** escalateToHighPriority texts for imminent danger (domain.md §4.2). */
export const ESCALATION = [
  'User stated that the abuse of a child in their household is ongoing and planned again tonight.',
  "Content appears to have been produced within the last 24 hours; child appears to be in the user's care.",
  'User indicated intent to meet a {age}-year-old in person this weekend.',
  'Minor expressed thoughts of self-harm after threats from the reported user.',
  'Live broadcast involving a young child detected and terminated; the child may still be with the user.',
] as const;

/** Escalation text on sextortion reports. */
export const SEXTORTION_ESCALATION = [
  'Victim is a minor being actively extorted; payment demanded within hours.',
  'Ongoing financial sextortion of a minor; victim expressed distress.',
] as const;

/** Generic additionalInfo of ordinary reports. */
export const ORDINARY_INFO = [
  'Detected by hash match during upload.',
  'Content identified by automated classifier and confirmed on review.',
  'Reported by another user; content removed.',
  'Files shared in a private message thread.',
  'Account shared the files in a group chat.',
] as const;

/** incidentDateTimeDescription values. */
export const TIME_DESCRIPTIONS = [
  'Time of upload detection',
  'Time the content was reported to the ESP',
  'Time of the most recent upload',
  'Approximate time of the chat',
] as const;

/** Innocuous payment purposes (domain.md §9.3 F10). */
export const OFFENDING_PURPOSES = [
  'gift',
  'treat',
  'birthday',
  'school',
  'tuition',
  'uniform',
  'medical',
  'hospital',
  'bills',
  'rent',
  'family support',
  'baby milk',
  'food',
  'for the kids',
  'allowance',
  '',
  '',
  '',
] as const;

/** Purposes of family remittances. */
export const FAMILY_PURPOSES = ['family support', 'allowance', 'tuition', 'bills', 'house', 'for mama', 'padala', 'groceries', ''] as const;

/** Purposes of freelancer and BPO payouts. */
export const WORK_PURPOSES = ['invoice', 'payment for services', 'VA services', 'web design', 'salary', 'project milestone', 'transcription work'] as const;

/** Purposes of domestic e-wallet transfers. */
export const DOMESTIC_PURPOSES = ['', '', 'load', 'bayad', 'utang', 'share sa bills', 'food', 'pamasahe', 'rent'] as const;

/**
 * Sextortion told only in chat (adversarial world): the threat, the demand and the child's age are
 * in the words, with no annotation or escalation. {age} the child's age, {wallet} where to pay.
 */
export const SEXTORTION_CHAT_ONLY = [
  'user: i saved your pics. send {amount} in {hours} hours or your friends list sees them\nminor: please no im only {age}\nuser: then pay {wallet}',
  'user: you have {hours} hours. {amount} or i post it and tag your school\nminor: i dont have money im {age}\nuser: ask your parents. {wallet}',
  'user: pay {amount} now\nminor: im just {age} please delete it\nuser: no money no delete {wallet}',
] as const;

/** A payer's short chat naming only where he sent money for a "show" (adversarial world, sparse livestream report). */
export const LIVESTREAM_PAYER_CHAT = [
  'sent {amount} to {wallet} for later',
  'ok paid {amount} gcash {wallet}. same time tonight?',
  'done sending {amount} to {wallet}, pls confirm',
] as const;

/** What a user writes as a payment detail when there is none (adversarial world wallet placeholders). */
export const PLACEHOLDER_PAYMENT_LINES = ['pay here: {value}', 'gcash: {value}', 'send to {value} pls', 'wallet {value}'] as const;
