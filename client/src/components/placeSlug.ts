/** A stable fragment id for a place name (`Gräfenhainichen` → `ort-grafenhainichen`), used by /places#… links. */
export function placeSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `ort-${slug || 'unbekannt'}`;
}
