import type { ImportIssue } from '../types.js';

/** Where a transcript problem is, for "Zeile 7, Spalte 3: …": the line/column the API gives, or parsed from `file:7:3`. */
export function issuePosition(issue: ImportIssue): { line: number | null; column: number | null } {
  if (typeof issue.line === 'number')
    return { line: issue.line, column: typeof issue.column === 'number' ? issue.column : null };
  const m = /^file:(\d+)(?::(\d+))?$/.exec(issue.field ?? '');
  if (m) return { line: Number(m[1]), column: m[2] ? Number(m[2]) : null };
  return { line: null, column: null };
}

/** Problems sorted by line (those without one last), so the list reads like the file. */
export function sortIssues(issues: readonly ImportIssue[]): ImportIssue[] {
  return issues
    .map((issue, i) => ({ issue, i, line: issuePosition(issue).line ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((x) => x.issue);
}

/** `segments.3.start` → 4 (the segment's number as people count); null for other fields. */
export function segmentNumberOf(field: string | undefined): number | null {
  const m = /^segments\.(\d+)/.exec(field ?? '');
  return m ? Number(m[1]) + 1 : null;
}
