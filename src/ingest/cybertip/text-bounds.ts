// Cutting text to a byte bound without splitting a character.

/** `s` cut to at most `maxBytes` bytes of UTF-8, on a character boundary. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes || Buffer.byteLength(s, 'utf8') <= maxBytes) return s;
  const bytes = Buffer.from(s.slice(0, maxBytes), 'utf8');
  let end = Math.min(maxBytes, bytes.length);
  // Step back over continuation bytes (10xxxxxx) so the cut falls before a whole character.
  if (end < bytes.length) {
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  }
  return bytes.subarray(0, end).toString('utf8');
}
