// The statuses of case work, apart from the workflow so that the command line can offer them without loading it.

/** The statuses of a report or subject. */
export const STATUSES = ['new', 'in_review', 'escalated', 'referred', 'closed'] as const;
/** Why something was closed. */
export const CLOSE_REASONS = ['no_action', 'duplicate', 'insufficient_information', 'referred_to_other_agency', 'no_nexus'] as const;
