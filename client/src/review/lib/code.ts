// The short code from the paper letter: people type it with spaces, in lower case, without or with extra dashes.
// Only letters and digits count; ten of them make a code, shown and sent as ABCD-EFGH-JK.

export const CODE_LENGTH = 10;

/** The code's letters and digits, upper case, nothing else. */
export function codeCharacters(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** `abcd efgh jk` → `ABCD-EFGH-JK`; null unless exactly ten letters and digits remain. */
export function normalizeCode(input: string): string | null {
  const chars = codeCharacters(input);
  if (chars.length !== CODE_LENGTH) return null;
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/**
 * What goes into the Authorization header for the credential in the URL: a short code (typed by hand, perhaps in lower
 * case or with spaces) in its canonical form, a link token as it is.
 */
export function credentialFromPath(raw: string): string {
  const trimmed = raw.trim();
  // a link token is 43 url-safe characters; a code, however typed, never has more than a few separators
  if (/^[A-Za-z0-9][A-Za-z0-9 -]{8,14}[A-Za-z0-9]$/.test(trimmed)) return normalizeCode(trimmed) ?? trimmed;
  return trimmed;
}
