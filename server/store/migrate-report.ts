// The report of `npm run cli -- migrate` (server/store/migrate.ts): one row per target collection, printed as a table;
// split from migrate.ts.

export interface CollectionResult {
  collection: string;
  from: string;
  sourceRows: number;
  copied: number;
  alreadyThere: number;
  targetDocs: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
  /** When not ok: what differs (missing, extra or changed documents, a few ids). */
  problem?: string;
}

export function printTable(print: (line: string) => void, results: CollectionResult[]): void {
  const header = ['collection', 'source rows', 'copied', 'target docs', 'source checksum', 'target checksum', ''];
  const rows = results.map((r) => [
    r.collection,
    String(r.sourceRows),
    String(r.copied),
    String(r.targetDocs),
    r.sourceChecksum.slice(0, 16),
    r.targetChecksum.slice(0, 16),
    r.ok ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  print(line(header));
  for (const r of rows) print(line(r));
}
