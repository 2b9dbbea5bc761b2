/** Keys whose values never leave the server in an error report. */
const SECRET_KEYS = /pass(word)?|secret|token|authori[sz]ation|cookie|e-?mail|api[-_]?key|signature|session/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const CI_TOKEN = /smk_[A-Za-z0-9_-]{8,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `password=…`, `"token":"…"` and the like inside free text (messages, stack frames' variables). */
const INLINE_SECRET = /\b(pass(?:word)?|secret|token|api[-_]?key)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi;

/** Text with e-mail addresses, tokens and inline `password=…` values replaced by placeholders. */
export function scrubText(text: string): string {
  return text
    .replace(CI_TOKEN, 'smk_[redacted]')
    .replace(BEARER, '$1 [redacted]')
    .replace(INLINE_SECRET, '$1$2[redacted]')
    .replace(EMAIL, '[email]');
}

/**
 * A deep copy of `value` fit for an error report: values under secret-looking keys (password, token,
 * cookie, authorization, email…) are replaced whole, every other string is passed through
 * {@link scrubText}. Cycles and depth beyond 12 are cut.
 */
export function scrubValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 12 || seen.has(value)) return '[cut]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.test(key) ? '[redacted]' : scrubValue(inner, depth + 1, seen);
  }
  return copy;
}
