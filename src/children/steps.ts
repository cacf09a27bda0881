// The rescue workflow's steps, apart from the stage so that the command line can offer them
// without loading it.

/** The rescue workflow, in order. */
export const RESCUE_STEPS = ['identified', 'located', 'referred', 'rescued', 'aftercare'] as const;
/** One step. */
export type RescueStep = (typeof RESCUE_STEPS)[number];
