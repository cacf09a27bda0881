// A timestamp column comes back as a Date from one driver and may be a string from another (or from
// a raw query); every reader turns it into the same ISO-8601 UTC text with this one helper.

/** The ISO-8601 UTC instant (`2026-01-31T08:00:00.000Z`) of a Date or a date string; null stays null. */
export function iso(d: Date | string): string;
export function iso(d: Date | string | null): string | null;
export function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}
