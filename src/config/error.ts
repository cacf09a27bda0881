// A refusal of the configuration: bad input, kept apart from the validator so that the command
// line can recognise it without loading that.

/** A setting refused at start-up; the message names each bad setting, where it was set and its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
