/** The triage stage's tables (placeholder: filled in by its stage). */
export interface TriageTables {}
