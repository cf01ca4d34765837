// `npm run cli -- import <folder> [--dry-run] [--collection <id>]`: a box of recordings into the archive.
//
// The folder holds either `interviews.csv` (one row per interview, columns in README "Bulk import") with the media
// and transcript files beside it, or OHMS XML records with their media (the migration path from OHMS: metadata,
// index and transcript come from the XML, the medium is matched by file name).
//
// Everything is validated first — every problem is reported with its file and line — and a dry run stops there.
// A real run imports the valid rows through the same services as an upload (access rule, probing, storage, jobs),
// with progress bars per file and overall; a row whose media are all in the archive already (by SHA-256) is skipped
// and says so, and a row interrupted halfway continues in its interview. It ends with a summary table.
import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Services } from '../app.js';
import type { Viewer } from '../access/viewer.js';
import type { Logger } from '../logger.js';
import { probe, ProbeError } from '../media/ffmpeg/probe.js';
import type { Store } from '../store/repositories.js';
import { type Medium } from '../store/types.js';
import { parseTranscript, TranscriptParseError } from '../transcripts/formats/index.js';
import { archiveHashes, ingestLocalFile } from './archive-writer.js';
import { hashFile } from './hash.js';
import {
  type BulkImportOptions,
  type BulkImportSummary,
  CSV_FILE,
  DURATION_SLACK_S,
  type ImportProblem,
  type PlannedRow,
  type RowResult,
  type RowStatus,
} from './bulk-import-plan.js';
import { readCsv } from './bulk-import-csv.js';
import { readOhmsFolder } from './bulk-import-ohms.js';

export {
  type BulkImportOptions,
  type BulkImportSummary,
  CSV_FILE,
  type ImportProblem,
  type RowResult,
  type RowStatus,
  csvColumns,
  personName,
} from './bulk-import-plan.js';
export { readOhmsMetadata } from './bulk-import-ohms.js';

// ------------------------------------------------------------------------------------------------ validation

async function validateRows(rows: PlannedRow[], logger: Logger): Promise<void> {
  const mediaUse = new Map<string, { file: string; line: number }>();
  const identity = new Map<string, { file: string; line: number }>();
  const hashes = new Map<string, { file: string; line: number; name: string }>();
  for (const row of rows) {
    const at = row.source;
    const key = [
      row.input.title.toLowerCase(),
      row.input.people
        .map((p) => p.name.toLowerCase())
        .sort()
        .join('|'),
      row.input.recordedAt ?? '',
    ].join('\u0000');
    const twin = identity.get(key);
    if (twin)
      row.problems.push({
        ...at,
        message: `duplicate row: same title, people and date as ${twin.file} line ${twin.line}`,
      });
    else identity.set(key, at);
    for (const f of row.media) {
      const seen = mediaUse.get(f.abs);
      if (seen)
        row.problems.push({
          ...at,
          message: `media file "${f.name}" is already used by ${seen.file} line ${seen.line}`,
        });
      else mediaUse.set(f.abs, at);
      try {
        const info = await probe(f.abs, { logger });
        if (!info.audio) row.problems.push({ ...at, message: `media file "${f.name}" has no sound track` });
        f.durationSec = info.durationSec;
      } catch (err) {
        if (!(err instanceof ProbeError)) throw err;
        row.problems.push({
          ...at,
          message: `media file "${f.name}" is not readable media (${err.reason}: ${err.message.split(': ').pop()})`,
        });
        continue;
      }
      f.sha256 = (await hashFile(f.abs)).digest;
      const same = hashes.get(f.sha256);
      if (same && same.name !== f.name)
        row.problems.push({
          ...at,
          message: `media file "${f.name}" has the same content (SHA-256) as "${same.name}" of ${same.file} line ${same.line}`,
        });
      else hashes.set(f.sha256, { ...at, name: f.name });
    }
    row.transcripts.forEach((t, part) => {
      if (!t) return;
      let parsed;
      try {
        parsed = parseTranscript(t.text, t.format);
      } catch (err) {
        if (!(err instanceof TranscriptParseError)) throw err;
        for (const i of err.issues)
          row.problems.push({
            file: t.file.name,
            line: i.line,
            ...(i.column ? { column: i.column } : {}),
            message: `${t.format}: ${i.message} (row ${at.file} line ${at.line})`,
          });
        return;
      }
      const duration = row.media[part]?.durationSec;
      const last = parsed.segments.reduce((m, s) => Math.max(m, s.end ?? 0), 0);
      if (duration !== undefined && last > duration + DURATION_SLACK_S) {
        row.problems.push({
          file: t.file.name,
          line: 1,
          message: `transcript runs to ${last.toFixed(1)} s, past its recording "${row.media[part]!.name}" (${duration.toFixed(1)} s): probably belongs to another recording (row ${at.file} line ${at.line})`,
        });
      }
      if (parsed.segments.length === 0 && parsed.index.length === 0)
        row.problems.push({ file: t.file.name, line: 1, message: 'transcript has no segments' });
    });
  }
}

// ------------------------------------------------------------------------------------------------ the run

function bytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export async function runBulkImport(
  deps: { store: Store; services: Services; uploadsDir: string; viewer: Viewer; logger: Logger },
  opts: BulkImportOptions,
): Promise<BulkImportSummary> {
  const { store, services, uploadsDir, viewer, logger } = deps;
  const folder = path.resolve(opts.folder);
  const print = (s = '') => opts.stdout.write(`${s}\n`);
  const globalProblems: ImportProblem[] = [];
  if (
    !(await fs.stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    print(`Ordner nicht gefunden / folder not found: ${folder}`);
    return { exitCode: 2, problems: [{ file: folder, line: 0, message: 'folder not found' }], rows: [] };
  }
  if (opts.collectionId && !(await store.collections.findById(opts.collectionId))) {
    globalProblems.push({ file: '--collection', line: 0, message: `no collection ${opts.collectionId}` });
  }
  const hasCsv = await fs.stat(path.join(folder, CSV_FILE)).then(
    () => true,
    () => false,
  );
  print(`${opts.dryRun ? 'Probelauf / dry run' : 'Import'}: ${folder} (${hasCsv ? CSV_FILE : 'OHMS XML records'})`);
  const rows = hasCsv ? await readCsv(folder, globalProblems) : await readOhmsFolder(folder, globalProblems);
  await validateRows(rows, logger);
  if (opts.collectionId) for (const r of rows) r.input.collectionId = opts.collectionId;

  const allProblems = [...globalProblems, ...rows.flatMap((r) => r.problems)];
  const present = await archiveHashes(store);
  const results: RowResult[] = rows.map((r) => ({
    source: r.source,
    title: r.input.title,
    status: r.problems.length > 0 || globalProblems.length > 0 ? 'refused' : 'valid',
    interviewId: null,
    media: r.media.length,
    transcripts: r.transcripts.filter(Boolean).length,
    note: r.problems.length > 0 ? `${r.problems.length} problem(s)` : '',
  }));
  rows.forEach((r, i) => {
    const known = r.media.filter((m) => m.sha256 && present.has(m.sha256));
    if (results[i]!.status === 'valid' && known.length > 0) {
      results[i]!.note =
        known.length === r.media.length
          ? 'already in the archive (SHA-256)'
          : `${known.length} of ${r.media.length} media already in the archive (SHA-256)`;
    }
  });

  if (allProblems.length > 0) {
    print(`\n${allProblems.length} Problem(e) / problem(s):`);
    for (const p of [...allProblems].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))) {
      print(`  ${p.file}:${p.line}${p.column ? `:${p.column}` : ''}: ${p.message}`);
    }
  } else print('\nKeine Probleme / no problems found.');

  if (opts.dryRun || globalProblems.length > 0) {
    print(
      `\n${table([['line', 'title', 'result', 'media', 'transcripts', 'note'], ...results.map((r) => [`${r.source.file}:${r.source.line}`, r.title, r.status === 'valid' ? 'ok' : 'refused', String(r.media), String(r.transcripts), r.note])])}`,
    );
    const ok = results.filter((r) => r.status === 'valid').length;
    print(
      opts.dryRun
        ? `\nProbelauf: nichts importiert / dry run: nothing imported (${ok} of ${results.length} rows valid).`
        : `\nNichts importiert / nothing imported: the problems above concern the whole import (${globalProblems.length}).`,
    );
    return { exitCode: allProblems.length > 0 ? 1 : 0, problems: allProblems, rows: results };
  }

  // ---- the real run: valid rows only
  const todo = rows.map((r, i) => ({ row: r, result: results[i]! })).filter(({ result }) => result.status === 'valid');
  const pendingMedia = todo.flatMap(({ row }) => row.media.filter((m) => !present.has(m.sha256!)));
  const totalBytes = pendingMedia.reduce((n, m) => n + m.sizeBytes, 0);
  const multibar = new cliProgress.MultiBar(
    {
      stream: opts.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: opts.stderr.isTTY ?? false,
      clearOnComplete: false,
      format: '{label} [{bar}] {percentage}% | {done}/{all} | ETA {eta_formatted} | {name}',
      formatValue: (v) => String(v),
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  const overall = multibar.create(Math.max(1, totalBytes), 0, {
    label: 'Gesamt / overall',
    done: bytes(0),
    all: bytes(totalBytes),
    name: `${pendingMedia.length} file(s)`,
  });
  let overallDone = 0;

  for (const { row, result } of todo) {
    const unknown = row.media.filter((m) => !present.has(m.sha256!));
    if (unknown.length === 0) {
      result.status = 'skipped';
      result.interviewId = present.get(row.media[0]!.sha256!)!.interviewId;
      multibar.log(
        `übersprungen / skipped ${row.source.file}:${row.source.line} „${row.input.title}“: already in the archive (SHA-256 ${row.media.map((m) => m.sha256!.slice(0, 12)).join(', ')}) — interview ${result.interviewId}\n`,
      );
      continue;
    }
    // an earlier run stopped inside this row: continue in the interview that holds its first media
    const resumedFrom = row.media.map((m) => present.get(m.sha256!)).find((m): m is Medium => Boolean(m));
    let interviewId = resumedFrom?.interviewId ?? null;
    let created = false;
    try {
      if (!interviewId) {
        interviewId = (await services.interviews.create(viewer, row.input)).id;
        created = true;
      }
      result.interviewId = interviewId;
      const mediaIds: (string | null)[] = [];
      for (const m of row.media) {
        const existing = present.get(m.sha256!);
        if (existing) {
          mediaIds.push(existing.interviewId === interviewId ? existing.id : null);
          continue;
        }
        const bar = multibar.create(Math.max(1, m.sizeBytes), 0, {
          label: 'Datei / file    ',
          done: bytes(0),
          all: bytes(m.sizeBytes),
          name: m.name,
        });
        let fileDone = 0;
        const medium = await ingestLocalFile(services, uploadsDir, viewer, interviewId, m.abs, {
          expectedSha256: m.sha256!,
          onBytes: (n) => {
            fileDone += n;
            overallDone += n;
            bar.update(fileDone, { done: bytes(fileDone) });
            overall.update(overallDone, { done: bytes(overallDone) });
          },
        });
        bar.update(m.sizeBytes, { done: bytes(m.sizeBytes) });
        multibar.update();
        multibar.remove(bar);
        present.set(medium.sha256, medium);
        mediaIds.push(medium.id);
      }
      let transcripts = 0;
      for (const [part, t] of row.transcripts.entries()) {
        const mediaId = mediaIds[part];
        if (!t || !mediaId) continue;
        if (await store.transcripts.head(mediaId)) continue; // imported by the run that stopped here
        await services.transcripts.import({
          viewer,
          interviewId,
          mediaId,
          text: t.text,
          format: t.format,
          filename: t.file.name,
          reason: `Massenimport / bulk import: ${t.file.name}`,
        });
        transcripts++;
      }
      result.status = resumedFrom ? 'resumed' : 'imported';
      result.media = row.media.length;
      result.transcripts = transcripts;
      result.note = resumedFrom ? `continued: ${unknown.length} missing media added` : '';
      await services.audit.record(viewer, {
        interviewId,
        action: 'preservation.bulk-import',
        entity: 'interview',
        entityId: interviewId,
        after: {
          folder,
          source: `${row.source.file}:${row.source.line}`,
          media: row.media.map((m) => ({ file: m.name, sha256: m.sha256 })),
        },
      });
    } catch (err) {
      result.status = 'failed';
      result.note = err instanceof Error ? err.message.slice(0, 200) : String(err);
      logger.error({ err, source: row.source }, 'bulk import row failed');
      // a row that this run began is removed again (its media too); a resumed one keeps what earlier runs stored
      if (created && interviewId) await services.interviews.delete(viewer, interviewId).catch(() => undefined);
      result.interviewId = created ? null : interviewId;
    }
  }
  overall.update(Math.max(1, totalBytes), { done: bytes(totalBytes) });
  multibar.update();
  multibar.stop();

  print(
    `\n${table([
      ['line', 'title', 'result', 'media', 'transcripts', 'interview', 'note'],
      ...results.map((r) => [
        `${r.source.file}:${r.source.line}`,
        r.title,
        r.status,
        String(r.media),
        String(r.transcripts),
        r.interviewId ?? '—',
        r.note,
      ]),
    ])}`,
  );
  const count = (s: RowStatus) => results.filter((r) => r.status === s).length;
  print(
    `\n${count('imported')} imported, ${count('resumed')} resumed, ${count('skipped')} skipped (already in the archive), ${count('refused')} refused, ${count('failed')} failed; renditions are made by the archive's workers.`,
  );
  return { exitCode: count('refused') + count('failed') > 0 ? 1 : 0, problems: allProblems, rows: results };
}
