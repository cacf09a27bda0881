/** Contract with triage: a subject that receives or sends flagged payments. */
export interface PaymentSubjectFlagsTable {
  subject_id: string;
  /** The highest alert score among the subject's parties. */
  score: number;
  alerts: number;
  /** Party keys (for example `phone:+639171234567`) of the flagged parties. */
  parties: string[];
  /** The strongest reason, in words. */
  top_reason: string;
}

/** The payments stage's tables. */
export interface PaymentsTables {
  payment_subject_flags: PaymentSubjectFlagsTable;
}
