// Bulk import (issue 15), all real: a generated folder of 5 interviews (two-part media, OHMS and VTT transcripts, one
// broken row) made with ffmpeg, imported with `npm run cli -- import` (dry run, then the real run with its progress
// lines), a second run that skips by SHA-256, a run that continues an interrupted row, and a folder of OHMS XML records
// with their media (the migration path from OHMS).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../server/access/viewer.js';
import { moduleLogger } from '../../server/logger.js';
import { cliViewer, ingestLocalFile } from '../../server/preservation/archive-writer.js';
import { runBulkImport } from '../../server/preservation/bulk-import.js';
import { createTestApp, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio, makeVideo } from '../helpers/media.js';

const root = path.resolve(__dirname, '../..');
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function vtt(cues: [number, number, string][]): string {
  const ts = (s: number) => `00:00:${s.toFixed(3).padStart(6, '0')}`;
  return `WEBVTT\n\n${cues.map(([a, b, text]) => `${ts(a)} --> ${ts(b)}\n${text}\n`).join('\n')}`;
}

function ohms(opts: {
  title: string;
  interviewee: string;
  interviewer: string;
  date: string;
  fileName?: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms">
  <record id="42" dt="2024-01-01">
    <date value="${opts.date}" format="yyyy-mm-dd"/>
    <title>${opts.title}</title>
    <duration>00:00:04</duration>
    <interviewee>${opts.interviewee}</interviewee>
    <interviewer>${opts.interviewer}</interviewer>
    <language>ger</language>
    <keyword>Brikettfabrik;Schicht</keyword>
    ${opts.fileName ? `<file_name>${opts.fileName}</file_name>` : ''}
    <transcript>[00:00:00] KRAUSE: Wie war die Schicht?

[00:00:02] MEHNERT: Staubig, aber wir hielten zusammen.</transcript>
    <index>
      <point>
        <time>0</time>
        <title>Die Schicht</title>
        <synopsis>Über den Staub in der Brikettfabrik.</synopsis>
        <keywords>Staub;Brikettfabrik</keywords>
        <subjects>Arbeit</subjects>
      </point>
    </index>
  </record>
</ROOT>
`;
}

/** Moves a generated file to a chosen name inside the import folder. */
function place(file: string, folder: string, name: string): string {
  const target = path.join(folder, name);
  fs.renameSync(file, target);
  return target;
}

function capture(): Writable & { text: string; isTTY: boolean } {
  const w = new Writable({
    write(chunk, _e, cb) {
      (w as unknown as { text: string }).text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; isTTY: boolean };
  w.text = '';
  w.isTTY = false;
  return w;
}

describe('bulk import of a folder (interviews.csv and OHMS XML)', () => {
  let t: TestApp;
  let viewer: Viewer;
  let work: string;
  let folder: string;
  const deps = () => ({
    store: t.store,
    services: t.services,
    uploadsDir: t.config.uploadsDir,
    viewer,
    logger: moduleLogger('test'),
  });
  const env = () => ({
    ...process.env,
    DATA_DIR: t.config.dataDir,
    UPLOADS_DIR: t.config.uploadsDir,
    LOG_LEVEL: 'silent',
  });
  const cli = (args: string[]) =>
    spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['server/cli.ts', ...args], {
      cwd: root,
      env: env(),
      encoding: 'utf8',
    });
  const interviewCount = async () =>
    (await t.store.interviews.list({ access: { kind: 'all' } }, { limit: 100, offset: 0 }, 'createdAt')).total;

  beforeAll(async () => {
    t = await createTestApp();
    await t.services.users.create({ email: 'archiv@example.org', password: testPassword, role: 'admin' });
    viewer = await cliViewer(t.store);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-bulk-'));
    folder = path.join(work, 'Karton 1');
    fs.mkdirSync(folder);
    place(await makeAudio(work, { seconds: 4, format: 'wav' }), folder, 'Krüger Teil 1.wav');
    place(await makeAudio(work, { seconds: 3, format: 'mp3', frequency: 660 }), folder, 'Krüger Teil 2.mp3');
    place(await makeAudio(work, { seconds: 4, format: 'm4a', frequency: 330 }), folder, 'Mehnert.m4a');
    place(await makeAudio(work, { seconds: 3, format: 'opus', frequency: 880 }), folder, 'Lehmann.opus');
    place(
      await makeVideo(work, { seconds: 3, width: 320, height: 240, fps: 25, withAudio: true }),
      folder,
      'Schulz Video.mp4',
    );
    place(await makeAudio(work, { seconds: 3, format: 'wav', frequency: 500 }), folder, 'kurz.wav');
    fs.writeFileSync(path.join(folder, 'kaputt.mp3'), 'Das ist keine Aufnahme, nur Text.\n');
    fs.writeFileSync(
      path.join(folder, 'Krüger Teil 1.vtt'),
      vtt([
        [0, 2, '<v Horst Krüger>Glück auf!'],
        [2, 3.8, '<v Anja Krause>Wie fing es an?'],
      ]),
    );
    fs.writeFileSync(path.join(folder, 'Krüger Teil 2.vtt'), vtt([[0, 2.5, '<v Horst Krüger>Mit der Förderbrücke.']]));
    fs.writeFileSync(
      path.join(folder, 'Mehnert.xml'),
      ohms({
        title: 'Brikettfabrik Zschornewitz',
        interviewee: 'Mehnert, Karl',
        interviewer: 'Krause, Anja',
        date: '2019-03-12',
      }),
    );
    fs.writeFileSync(path.join(folder, 'Schulz.vtt'), vtt([[0, 2.9, '<v Erika Schulz>Im Kraftwerk Vockerode.']]));
    fs.writeFileSync(
      path.join(folder, 'zu-lang.vtt'),
      vtt([
        [0, 30, 'Das passt nicht.'],
        [30, 59, 'Gehört zu einer anderen Aufnahme.'],
      ]),
    );
    const rows = [
      [
        'title',
        'narrators',
        'interviewers',
        'recorded',
        'place',
        'lat',
        'lon',
        'language',
        'keywords',
        'summary',
        'visibility',
        'media',
        'transcripts',
      ],
      [
        'Schichtbetrieb im Tagebau Golpa-Nord',
        'Horst Krüger',
        'Anja Krause',
        '2019-05-17',
        'Gräfenhainichen',
        '51.7289',
        '12.4561',
        'de',
        'Tagebau|Förderbrücke',
        'Zwei Bänder.',
        'private',
        'Krüger Teil 1.wav|Krüger Teil 2.mp3',
        'Krüger Teil 1.vtt|Krüger Teil 2.vtt',
      ],
      [
        'Brikettfabrik Zschornewitz',
        'Karl Mehnert',
        'Anja Krause',
        '2019-03',
        'Zschornewitz',
        '',
        '',
        'de',
        'Brikettfabrik',
        '',
        'registered',
        'Mehnert.m4a',
        'Mehnert.xml',
      ],
      [
        'Lehrjahre in Golpa',
        'Gerda Lehmann|Fritz Lehmann',
        '',
        '2019',
        '',
        '',
        '',
        'de',
        '',
        'Ohne Transkript.',
        '',
        'Lehmann.opus',
        '',
      ],
      [
        'Kraftwerk Vockerode',
        'Erika Schulz',
        'Jonas Beck',
        '2018-06-02',
        'Vockerode',
        '51.85',
        '12.36',
        'de',
        'Kraftwerk',
        '',
        'private',
        'Schulz Video.mp4',
        'Schulz.vtt',
      ],
      [
        'Die kaputte Zeile',
        'Unbekannt',
        '',
        '2019-13-01',
        '',
        '',
        '',
        'de',
        '',
        '',
        'geheim',
        'kurz.wav|kaputt.mp3|fehlt.wav',
        'zu-lang.vtt',
      ],
    ];
    const csvCell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    fs.writeFileSync(path.join(folder, 'interviews.csv'), `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('the dry run reports every problem with file and line and imports nothing', async () => {
    const r = cli(['import', folder, '--dry-run']);
    console.log(`$ npm run cli -- import "${folder}" --dry-run\n${r.stdout}${r.stderr}`);
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/interviews\.csv:6: recorded: /);
    expect(out).toContain(
      'interviews.csv:6: visibility: "geheim" is not one of public, registered, restricted, private',
    );
    expect(out).toContain('interviews.csv:6: media file "fehlt.wav" not found');
    expect(out).toMatch(/interviews\.csv:6: media file "kaputt\.mp3" is not readable media/);
    expect(out).toMatch(/zu-lang\.vtt:1: transcript runs to 59\.0 s, past its recording "kurz\.wav"/);
    // the four good rows are fine
    for (const line of [2, 3, 4, 5]) expect(out).not.toMatch(new RegExp(`interviews\\.csv:${line}:`));
    expect(out).toContain('dry run: nothing imported (4 of 5 rows valid)');
    expect(await interviewCount()).toBe(0);
    expect(
      fs.existsSync(path.join(t.config.uploadsDir, 'originals'))
        ? fs.readdirSync(path.join(t.config.uploadsDir, 'originals'))
        : [],
    ).toEqual([]);
  }, 60_000);

  it('the real run imports the valid rows with progress per file and overall, and ends with a summary table', async () => {
    const r = cli(['import', folder]);
    console.log(`$ npm run cli -- import "${folder}"\n${r.stdout}${r.stderr}`);
    expect(r.status).toBe(1); // one row refused
    expect(r.stderr).toMatch(/Gesamt \/ overall \[.*\] 100% \| .* \| ETA /);
    expect(r.stderr).toMatch(/Datei \/ file +\[.*\] 100% \| .* \| ETA .* \| Krüger Teil 2\.mp3/);
    expect(r.stdout).toMatch(/\| line +\| title +\| result +\|/);
    expect(r.stdout).toContain('4 imported, 0 resumed, 0 skipped (already in the archive), 1 refused, 0 failed');

    const interviews = (
      await t.store.interviews.list({ access: { kind: 'all' } }, { limit: 100, offset: 0 }, 'createdAt')
    ).items;
    expect(interviews.map((i) => i.title).sort()).toEqual([
      'Brikettfabrik Zschornewitz',
      'Kraftwerk Vockerode',
      'Lehrjahre in Golpa',
      'Schichtbetrieb im Tagebau Golpa-Nord',
    ]);
    const golpa = interviews.find((i) => i.title.startsWith('Schichtbetrieb'))!;
    expect(golpa).toMatchObject({
      recordedAt: '2019-05-17',
      place: { name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561 },
      keywords: ['Tagebau', 'Förderbrücke'],
      status: 'draft',
      visibility: 'private',
      people: [
        { name: 'Horst Krüger', role: 'narrator' },
        { name: 'Anja Krause', role: 'interviewer' },
      ],
    });
    const media = await t.store.media.listByInterview(golpa.id);
    expect(media.map((m) => [m.part, m.originalFilename, m.sha256])).toEqual([
      [1, 'Krüger Teil 1.wav', sha(path.join(folder, 'Krüger Teil 1.wav'))],
      [2, 'Krüger Teil 2.mp3', sha(path.join(folder, 'Krüger Teil 2.mp3'))],
    ]);
    expect((await t.store.transcripts.current(media[1]!.id))!.segments[0]!.text).toBe('Mit der Förderbrücke.');
    // ingest as for an upload: the renditions job of each medium is queued
    expect((await t.store.jobs.listByMedia(media[0]!.id)).map((j) => j.name)).toContain('media.renditions');
    const mehnert = interviews.find((i) => i.title === 'Brikettfabrik Zschornewitz')!;
    const [mehnertMedium] = await t.store.media.listByInterview(mehnert.id);
    expect((await t.store.transcripts.getIndex(mehnertMedium!.id))!.points[0]!.title).toBe('Die Schicht');
    expect((await t.store.transcripts.current(mehnertMedium!.id))!.source).toBe('import:ohms');
    const lehmann = interviews.find((i) => i.title === 'Lehrjahre in Golpa')!;
    expect(lehmann.people.map((p) => p.name)).toEqual(['Gerda Lehmann', 'Fritz Lehmann']);
    expect((await t.store.audit.list({ action: 'preservation.bulk-import' }, { limit: 10, offset: 0 })).total).toBe(4);
  }, 90_000);

  it('a second run skips what is in the archive by SHA-256 and says so', async () => {
    const stdout = capture();
    const stderr = capture();
    const summary = await runBulkImport(deps(), { folder, dryRun: false, stdout, stderr });
    expect(summary.rows.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'refused']);
    expect(stderr.text).toMatch(
      /skipped interviews\.csv:2 „Schichtbetrieb im Tagebau Golpa-Nord“: already in the archive \(SHA-256 [0-9a-f]{12}, [0-9a-f]{12}\)/,
    );
    expect(stdout.text).toContain('0 imported, 0 resumed, 4 skipped (already in the archive), 1 refused, 0 failed');
    expect(await interviewCount()).toBe(4);
  }, 60_000);

  it('a row interrupted after its first part continues in its interview', async () => {
    const other = await createTestApp();
    try {
      await other.services.users.create({ email: 'archiv2@example.org', password: testPassword, role: 'admin' });
      const otherViewer = await cliViewer(other.store);
      // what an interrupted earlier run left: the interview with part 1 only
      const partial = await other.services.interviews.create(otherViewer, {
        title: 'Schichtbetrieb im Tagebau Golpa-Nord',
        people: [],
        keywords: [],
        language: 'de',
        visibility: 'private',
      });
      await ingestLocalFile(
        other.services,
        other.config.uploadsDir,
        otherViewer,
        partial.id,
        path.join(folder, 'Krüger Teil 1.wav'),
      );
      const summary = await runBulkImport(
        {
          store: other.store,
          services: other.services,
          uploadsDir: other.config.uploadsDir,
          viewer: otherViewer,
          logger: moduleLogger('test'),
        },
        { folder, dryRun: false, stdout: capture(), stderr: capture() },
      );
      expect(summary.rows[0]).toMatchObject({
        status: 'resumed',
        interviewId: partial.id,
        note: 'continued: 1 missing media added',
      });
      const media = await other.store.media.listByInterview(partial.id);
      expect(media.map((m) => m.originalFilename)).toEqual(['Krüger Teil 1.wav', 'Krüger Teil 2.mp3']);
      expect(await other.store.transcripts.head(media[0]!.id)).not.toBeNull();
      expect(await other.store.transcripts.head(media[1]!.id)).not.toBeNull();
    } finally {
      await other.close();
    }
  }, 60_000);

  it('reports unknown columns and duplicate rows in the dry run', async () => {
    const dir = path.join(work, 'Karton 2');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(folder, 'Lehmann.opus'), path.join(dir, 'a.opus'));
    fs.writeFileSync(
      path.join(dir, 'interviews.csv'),
      'title,narrators,medien,media\nEins,Gerda Lehmann,x,a.opus\nEins,Gerda Lehmann,x,a.opus\n',
    );
    const stdout = capture();
    const summary = await runBulkImport(deps(), { folder: dir, dryRun: true, stdout, stderr: capture() });
    expect(summary.exitCode).toBe(1);
    expect(stdout.text).toContain('interviews.csv:1:3: unknown column "medien"');
    expect(stdout.text).toContain(
      'interviews.csv:3: duplicate row: same title, people and date as interviews.csv line 2',
    );
    expect(stdout.text).toContain('interviews.csv:3: media file "a.opus" is already used by interviews.csv line 2');
  });

  it('a folder of OHMS XML records and their media: metadata, index and transcript from the XML, media by file name', async () => {
    const dir = path.join(work, 'OHMS-Export');
    fs.mkdirSync(dir);
    place(await makeAudio(work, { seconds: 4, format: 'mp3', frequency: 420 }), dir, 'interview_0815.mp3');
    place(await makeAudio(work, { seconds: 4, format: 'wav', frequency: 720 }), dir, 'Bergmann.wav');
    fs.writeFileSync(
      path.join(dir, 'record-0815.xml'),
      ohms({
        title: 'Schacht und Tagebau',
        interviewee: 'Bergmann, Otto',
        interviewer: 'Krause, Anja',
        date: '2017-09-01',
        fileName: 'interview_0815.mp3',
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'Bergmann.xml'),
      ohms({
        title: 'Otto Bergmann erzählt',
        interviewee: 'Bergmann, Otto',
        interviewer: 'Beck, Jonas',
        date: '2017-09-02',
      }),
    );
    const stdout = capture();
    const summary = await runBulkImport(deps(), { folder: dir, dryRun: false, stdout, stderr: capture() });
    expect(summary.problems).toEqual([]);
    expect(summary.rows.map((r) => [r.source.file, r.status])).toEqual([
      ['Bergmann.xml', 'imported'],
      ['record-0815.xml', 'imported'],
    ]);
    const imported = await t.store.interviews.findById(summary.rows[1]!.interviewId!);
    expect(imported).toMatchObject({
      title: 'Schacht und Tagebau',
      recordedAt: '2017-09-01',
      language: 'de',
      keywords: ['Brikettfabrik', 'Schicht'],
    });
    expect(imported!.people).toEqual([
      { name: 'Otto Bergmann', role: 'narrator' },
      { name: 'Anja Krause', role: 'interviewer' },
    ]);
    const [medium] = await t.store.media.listByInterview(imported!.id);
    expect(medium!.originalFilename).toBe('interview_0815.mp3');
    expect((await t.store.transcripts.current(medium!.id))!.segments.map((s) => s.text)).toEqual(
      ['KRAUSE: Wie war die Schicht?', 'MEHNERT: Staubig, aber wir hielten zusammen.'].map((s) =>
        s.replace(/^[A-Z]+: /, ''),
      ),
    );
    expect((await t.store.transcripts.getIndex(medium!.id))!.points.map((p) => p.title)).toEqual(['Die Schicht']);
  }, 60_000);
});
