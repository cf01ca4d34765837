/** Splits typed or pasted text at commas (and semicolons, line breaks) into trimmed keywords. */
export function splitKeywords(input: string): string[] {
  return input
    .split(/[,;\n]/)
    .map((k) => k.trim().replace(/\s+/g, ' '))
    .filter((k) => k !== '');
}

/** Adds keywords to a list; the same keyword in another case is the same keyword (as on the server). */
export function addKeywords(list: readonly string[], additions: readonly string[]): string[] {
  const result = [...list];
  for (const k of additions) {
    if (!result.some((o) => o.toLocaleLowerCase('de') === k.toLocaleLowerCase('de'))) result.push(k);
  }
  return result;
}
