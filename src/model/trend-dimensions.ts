// The dimensions trend series are counted by; shared by the trends stage, the API's schema and the
// web app's filter, so that a new dimension appears everywhere at once.

/** The dimensions of trend series. */
export const DIMENSIONS = ['esp', 'incidentType', 'province', 'municipality', 'annotation', 'hash', 'subject', 'corridor'] as const;
/** One dimension. */
export type Dimension = (typeof DIMENSIONS)[number];
