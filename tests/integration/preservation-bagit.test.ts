// BagIt export and import (issue 15), all real: media made with ffmpeg, ingested through the media service, bags
// written by export-bag (the CLI too) and by the admin ZIP download, validated by the Library of Congress reference
// implementation (bagit.py from PyPI, in .venv-test), and invalid bags of our own making refused by our validator with
// each problem named — and by bagit.py as well.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../server/access/viewer.js';
import { cliViewer, ingestLocalFile } from '../../server/preservation/archive-writer.js';
import { planInterviewBag } from '../../server/preservation/bag-export.js';
import { BagRefused, importBag } from '../../server/preservation/bag-import.js';
import { encodeManifestPath, validateBag, writeBag, type BagProblemCode } from '../../server/preservation/bagit.js';
import { moduleLogger } from '../../server/logger.js';
import { runPreservationCommand } from '../../server/preservation/cli.js';
import { createTestApp, tableCounts, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';

const root = path.resolve(__dirname, '../..');
const bagitPy = path.join(root, '.venv-test/bin/bagit.py');
const hasBagit = fs.existsSync(bagitPy);

function bagitValidate(dir: string): { status: number; output: string } {
  const r = spawnSync(path.join(root, '.venv-test/bin/python'), [bagitPy, '--validate', dir], { encoding: 'utf8' });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

function codes(problems: { code: BagProblemCode; path?: string }[]): string[] {
  return problems.map((p) => `${p.code} ${p.path ?? ''}`.trim()).sort();
}

describe.skipIf(!hasBagit)('BagIt export and import [needs bagit.py]', () => {
  let t: TestApp;
  let viewer: Viewer;
  let interviewId: string;
  let collectionId: string;
  let work: string;
  let bagDir: string;
  const partNames = ['Teil 1 – Grüße aus Golpa 100%.wav', 'Teil 2 Brikettfabrik Zschornewitz.mp3'];

  beforeAll(async () => {
    t = await createTestApp();
    await t.services.users.create({ email: 'archiv@example.org', password: testPassword, role: 'admin' });
    viewer = await cliViewer(t.store);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-bagit-'));
    const collection = await t.services.collections.create(viewer, {
      title: 'Spring School Ferropolis 2019',
      description: null,
    });
    collectionId = collection.id;
    interviewId = (
      await t.services.interviews.create(viewer, {
        title: 'Schichtbetrieb im Tagebau Golpa-Nord',
        collectionId: collection.id,
        people: [
          { name: 'Horst Krüger', role: 'narrator' },
          { name: 'Anja Krause', role: 'interviewer' },
        ],
        recordedAt: '2019-05',
        place: { name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561 },
        language: 'de',
        summary: 'Über Frühschicht und Förderbrücke.',
        keywords: ['Tagebau'],
        visibility: 'private',
      })
    ).id;
    const wav = await makeAudio(work, { seconds: 4, format: 'wav' });
    const mp3 = await makeAudio(work, { seconds: 3, format: 'mp3', frequency: 660 });
    const m1 = await ingestLocalFile(t.services, t.config.uploadsDir, viewer, interviewId, wav, {
      filename: partNames[0],
    });
    const m2 = await ingestLocalFile(t.services, t.config.uploadsDir, viewer, interviewId, mp3, {
      filename: partNames[1],
    });
    const vtt = (text: string) =>
      `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Horst Krüger>${text}\n\n00:00:02.000 --> 00:00:03.500\n<v Anja Krause>Und dann?\n`;
    await t.services.transcripts.import({
      viewer,
      interviewId,
      mediaId: m1.id,
      text: vtt('Glück auf, ich war Baggerfahrer.'),
      format: 'vtt',
      reason: 'Erstimport',
    });
    await t.services.transcripts.import({
      viewer,
      interviewId,
      mediaId: m1.id,
      text: vtt('Glück auf, ich war Baggerführer.'),
      format: 'vtt',
      reason: 'Korrektur',
    });
    await t.services.transcripts.putIndex(viewer, interviewId, m1.id, [
      { start: 0, title: 'Anfang im Tagebau', synopsis: null, keywords: ['Bagger'], subjects: [], place: null },
    ]);
    await t.services.transcripts.import({
      viewer,
      interviewId,
      mediaId: m2.id,
      text: vtt('In der Brikettfabrik war Staub.').replace('00:00:03.500', '00:00:02.900'),
      format: 'vtt',
    });
    await t.store.consents.append({
      id: crypto.randomUUID(),
      interviewId,
      narrator: 'Horst Krüger',
      scope: ['archive', 'research'],
      givenOn: '2019-05-17',
      method: 'signed_form',
      scan: null,
      embargoUntil: null,
      onWithdrawal: 'keep_archive',
      notes: null,
      authorId: null,
      createdAt: new Date().toISOString(),
    });
    const plan = await planInterviewBag(t.store, t.config.uploadsDir, interviewId, {});
    bagDir = (await writeBag(path.join(work, 'bag'), plan.entries, plan.info)).dir;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('writes a bag that bagit.py --validate accepts, with the tag files and labels RFC 8493 asks for', async () => {
    const r = bagitValidate(bagDir);
    console.log(`bagit.py --validate ${bagDir}\n${r.output}`);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/is valid/);
    for (const f of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'])
      expect(fs.existsSync(path.join(bagDir, f))).toBe(true);
    expect(fs.readFileSync(path.join(bagDir, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const info = fs.readFileSync(path.join(bagDir, 'bag-info.txt'), 'utf8');
    expect(info).toMatch(/^Source-Organization: .+$/m);
    expect(info).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    expect(info).toContain(`External-Identifier: ${interviewId}`);
    const files = (
      fs.readdirSync(path.join(bagDir, 'data'), { recursive: true, withFileTypes: true }) as fs.Dirent[]
    ).filter((e) => e.isFile());
    const octets = files.reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    expect(info).toContain(`Payload-Oxum: ${octets}.${files.length}`);
    // names with spaces and umlauts as they are; "%" never reaches a payload name (bagit.py does not decode %25)
    expect(fs.existsSync(path.join(bagDir, 'data/media/part-1', 'Teil 1 – Grüße aus Golpa 100_.wav'))).toBe(true);
    const manifest = fs.readFileSync(path.join(bagDir, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('data/media/part-1/Teil 1 – Grüße aus Golpa 100_.wav');
    expect(manifest).toContain('data/media/part-2/Teil 2 Brikettfabrik Zschornewitz.mp3');
    expect(manifest).not.toContain('%');
    const originalSha = (await t.store.media.listByInterview(interviewId))[0]!.sha256;
    expect(manifest).toContain(`${originalSha}  data/media/part-1/`);
  });

  it('carries metadata, every transcript version in VTT, OHMS and JSON, the index — and consent only when asked', async () => {
    const data = path.join(bagDir, 'data');
    const meta = JSON.parse(fs.readFileSync(path.join(data, 'interview.json'), 'utf8'));
    expect(meta.interview.id).toBe(interviewId);
    expect(meta.media.map((m: { originalFilename: string }) => m.originalFilename)).toEqual(partNames);
    expect(meta.transcripts[0].versions.map((v: { version: number; reason: string }) => [v.version, v.reason])).toEqual(
      [
        [1, 'Erstimport'],
        [2, 'Korrektur'],
      ],
    );
    for (const f of [
      'versions/v1.vtt',
      'versions/v1.ohms.xml',
      'versions/v1.json',
      'versions/v2.vtt',
      'current.vtt',
      'current.ohms.xml',
      'current.json',
    ]) {
      expect(fs.existsSync(path.join(data, 'transcripts/part-1', f)), f).toBe(true);
    }
    expect(fs.readFileSync(path.join(data, 'transcripts/part-1/versions/v1.vtt'), 'utf8')).toContain('Baggerfahrer');
    expect(fs.readFileSync(path.join(data, 'transcripts/part-1/current.vtt'), 'utf8')).toContain('Baggerführer');
    expect(JSON.parse(fs.readFileSync(path.join(data, 'index/part-1.json'), 'utf8')).points[0].title).toBe(
      'Anfang im Tagebau',
    );
    expect(fs.existsSync(path.join(data, 'consent'))).toBe(false);

    const withConsent = await planInterviewBag(t.store, t.config.uploadsDir, interviewId, { withConsent: true });
    const dir = (await writeBag(path.join(work, 'bag-consent'), withConsent.entries, withConsent.info)).dir;
    const consentFiles = fs.readdirSync(path.join(dir, 'data/consent'), { recursive: true }) as string[];
    expect(consentFiles.some((f) => f.endsWith('v1.json'))).toBe(true);
    expect(bagitValidate(dir).status).toBe(0);
  });

  it('encodes CR, LF and "%" in manifest paths as RFC 8493 §2.1.3 says; bagit.py agrees on CR, LF, spaces and umlauts', async () => {
    expect(encodeManifestPath('a%b\r\nc d ä.txt')).toBe('a%25b%0D%0Ac d ä.txt');
    const dir = (
      await writeBag(
        path.join(work, 'names'),
        [
          { path: 'Grüße aus Gräfenhainichen.txt', source: { content: 'Glück auf\n' } },
          { path: 'Zeile\neins.txt', source: { content: 'LF im Namen\n' } },
          { path: 'Wagen\rrücklauf.txt', source: { content: 'CR im Namen\n' } },
        ],
        [
          ['Source-Organization', 'Test'],
          ['External-Identifier', 'names'],
        ],
      )
    ).dir;
    const manifest = fs.readFileSync(path.join(dir, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('data/Zeile%0Aeins.txt');
    expect(manifest).toContain('data/Wagen%0Drücklauf.txt');
    expect(manifest).toContain('data/Grüße aus Gräfenhainichen.txt');
    expect(manifest.split('\n').filter(Boolean)).toHaveLength(3);
    expect((await validateBag(dir)).problems).toEqual([]);
    const r = bagitValidate(dir);
    expect(r.output).toMatch(/is valid/);
    expect(r.status).toBe(0);
    // "%" itself: encoded as %25 and read back by our validator (bagit.py 1.9.0 does not decode it: issue 157,
    // which is why exported payload names never contain one)
    const percent = (
      await writeBag(
        path.join(work, 'percent'),
        [{ path: '100% Braunkohle.txt', source: { content: 'Kohle\n' } }],
        [['Source-Organization', 'Test']],
      )
    ).dir;
    expect(fs.readFileSync(path.join(percent, 'manifest-sha256.txt'), 'utf8')).toContain('data/100%25 Braunkohle.txt');
    expect((await validateBag(percent)).ok).toBe(true);
  });

  it('refuses tampered bags, naming each problem; bagit.py refuses them too', async () => {
    const wav = 'data/media/part-1/Teil 1 – Grüße aus Golpa 100_.wav';
    // flipped byte in an original
    const flipped = copyDir(bagDir, path.join(work, 'flipped'));
    const target = path.join(flipped, wav);
    fs.chmodSync(target, 0o644);
    const bytes = fs.readFileSync(target);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0x01, bytes.length - 100);
    fs.writeFileSync(target, bytes);
    expect(codes((await validateBag(flipped)).problems)).toEqual([`checksum-mismatch ${wav}`]);
    // a missing file
    const missing = copyDir(bagDir, path.join(work, 'missing'));
    fs.rmSync(path.join(missing, 'data/transcripts/part-1/versions/v1.vtt'));
    expect(codes((await validateBag(missing)).problems)).toEqual([
      'missing-file data/transcripts/part-1/versions/v1.vtt',
      'payload-oxum bag-info.txt',
    ]);
    // an extra payload file
    const extra = copyDir(bagDir, path.join(work, 'extra'));
    fs.writeFileSync(path.join(extra, 'data/media/part-1/untergeschoben.wav'), 'nicht im Manifest');
    expect(codes((await validateBag(extra)).problems)).toEqual([
      'not-in-manifest data/media/part-1/untergeschoben.wav',
      'payload-oxum bag-info.txt',
    ]);
    // a wrong Payload-Oxum (bag-info.txt edited: its tag-manifest checksum no longer matches either)
    const oxum = copyDir(bagDir, path.join(work, 'oxum'));
    const info = path.join(oxum, 'bag-info.txt');
    fs.writeFileSync(
      info,
      fs
        .readFileSync(info, 'utf8')
        .replace(/Payload-Oxum: (\d+)\.(\d+)/, (_m, o, n) => `Payload-Oxum: ${Number(o) + 1}.${n}`),
    );
    const oxumProblems = (await validateBag(oxum)).problems;
    expect(codes(oxumProblems)).toEqual(['payload-oxum bag-info.txt', 'tag-checksum-mismatch bag-info.txt']);
    expect(oxumProblems.find((p) => p.code === 'payload-oxum')!.message).toMatch(
      /Payload-Oxum is \d+\.\d+ but the payload has \d+ bytes in \d+ files/,
    );

    for (const dir of [flipped, missing, extra, oxum]) {
      const r = bagitValidate(dir);
      console.log(
        `bagit.py --validate ${dir}\n${r.output
          .split('\n')
          .filter((l) => !l.includes('INFO'))
          .join('\n')}`,
      );
      expect(r.status, `bagit.py on ${path.basename(dir)}: ${r.output}`).not.toBe(0);
    }
  });

  it('import-bag refuses a tampered bag before writing anything, and imports a valid one into another archive', async () => {
    const other = await createTestApp();
    try {
      await other.services.users.create({ email: 'archiv2@example.org', password: testPassword, role: 'admin' });
      const otherViewer = await cliViewer(other.store);
      const deps = {
        store: other.store,
        services: other.services,
        uploadsDir: other.config.uploadsDir,
        viewer: otherViewer,
        logger: moduleLogger('test'),
      };
      const before = tableCounts(other.store);
      const refused = await importBag(deps, path.join(work, 'flipped')).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BagRefused);
      expect((refused as BagRefused).problems.map((p) => p.code)).toEqual(['checksum-mismatch']);
      expect(tableCounts(other.store)).toEqual(before);
      expect(
        fs.existsSync(path.join(other.config.uploadsDir, 'originals'))
          ? fs.readdirSync(path.join(other.config.uploadsDir, 'originals'))
          : [],
      ).toEqual([]);

      const result = await importBag(deps, bagDir);
      expect(result.externalIdentifier).toBe(interviewId);
      const imported = await other.store.interviews.findById(result.interviewId);
      expect(imported).toMatchObject({
        title: 'Schichtbetrieb im Tagebau Golpa-Nord',
        recordedAt: '2019-05',
        status: 'draft',
        place: { name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561 },
      });
      const originals = await t.store.media.listByInterview(interviewId);
      const media = await other.store.media.listByInterview(result.interviewId);
      expect(media.map((m) => [m.part, m.sha256, m.originalFilename])).toEqual(
        originals.map((m) => [m.part, m.sha256, m.originalFilename]),
      );
      expect((await other.store.transcripts.listVersions(media[0]!.id)).map((v) => v.version).sort()).toEqual([1, 2]);
      expect((await other.store.transcripts.current(media[0]!.id))!.segments[0]!.text).toContain('Baggerführer');
      expect((await other.store.transcripts.getIndex(media[0]!.id))!.points[0]!.title).toBe('Anfang im Tagebau');
      // the same bag again: its media are in the archive already
      const again = await importBag(deps, bagDir).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(BagRefused);
      expect((again as BagRefused).problems[0]!.message).toMatch(/already in the archive/);
    } finally {
      await other.close();
    }
  }, 60_000);

  it('the CLI commands export-bag and import-bag, exactly as named', async () => {
    const env = { ...process.env, DATA_DIR: t.config.dataDir, UPLOADS_DIR: t.config.uploadsDir, LOG_LEVEL: 'silent' };
    const tsx = path.join(root, 'node_modules/.bin/tsx');
    const out = path.join(work, 'cli-bag');
    const exported = spawnSync(tsx, ['server/cli.ts', 'export-bag', interviewId, out], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    console.log(`$ npm run cli -- export-bag ${interviewId} ${out}\n${exported.stdout}${exported.stderr}`);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('Payload-Oxum:');
    const r = bagitValidate(out);
    console.log(`$ bagit.py --validate ${out}\n${r.output}`);
    expect(r.status).toBe(0);

    const refused = spawnSync(tsx, ['server/cli.ts', 'import-bag', path.join(work, 'flipped')], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    console.log(`$ npm run cli -- import-bag ${path.join(work, 'flipped')}\n${refused.stdout}${refused.stderr}`);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/bag refused/);
    expect(refused.stderr).toContain(`checksum-mismatch`);
    expect(refused.stderr).toContain('Teil 1 – Grüße aus Golpa 100_.wav');
  }, 60_000);

  it('export-bag --collection writes one valid bag per interview of the collection', async () => {
    const second = await t.services.interviews.create(viewer, {
      title: 'Ohne Aufnahme bisher',
      collectionId,
      people: [],
      keywords: [],
      language: 'de',
      visibility: 'private',
    });
    const folder = path.join(work, 'sammlung');
    expect(await runPreservationCommand('export-bag', ['--collection', collectionId, folder], t.config, t.store)).toBe(
      0,
    );
    const bags = fs.readdirSync(folder).sort();
    expect(bags).toHaveLength(2);
    for (const bag of bags) {
      const info = fs.readFileSync(path.join(folder, bag, 'bag-info.txt'), 'utf8');
      expect(info).toContain(`Bag-Group-Identifier: ${collectionId}`);
      expect(info).toMatch(/^Bag-Count: [12] of 2$/m);
      expect(bagitValidate(path.join(folder, bag)).status).toBe(0);
    }
    expect(bags.some((b) => b.endsWith(second.id.slice(0, 8)))).toBe(true);
    await t.services.interviews.delete(viewer, second.id);
  }, 60_000);

  it('the admin downloads the same bag as a ZIP from the interview page; nobody else can', async () => {
    const admin = await t.loginAs('admin');
    const res = await admin.agent
      .get(`/api/interviews/${interviewId}/bag.zip`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zipFile = path.join(work, 'download.zip');
    fs.writeFileSync(zipFile, res.body as Buffer);
    const unzipDir = path.join(work, 'unzipped');
    expect(spawnSync('unzip', ['-q', zipFile, '-d', unzipDir]).status).toBe(0);
    const [top] = fs.readdirSync(unzipDir);
    const r = bagitValidate(path.join(unzipDir, top!));
    expect(r.status, r.output).toBe(0);
    expect(fs.readFileSync(path.join(unzipDir, top!, 'manifest-sha256.txt'), 'utf8')).toBe(
      fs.readFileSync(path.join(bagDir, 'manifest-sha256.txt'), 'utf8'),
    );

    const curator = await t.loginAs('curator');
    await curator.agent.get(`/api/interviews/${interviewId}/bag.zip`).expect(403);
    await t.request.get(`/api/interviews/${interviewId}/bag.zip`).expect(401);
  }, 60_000);
});
