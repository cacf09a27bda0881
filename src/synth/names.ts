// The generator's named choices, apart from the generator so that the command line can offer them without loading it.

/** Names of the worlds that ship with Bantay. */
export const WORLD_NAMES = ['standard', 'adversarial'] as const;
/** The output formats of `generate`. */
export const GENERATE_FORMATS = ['xml', 'lejson', 'both'] as const;
/** One output format of `generate`. */
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];
