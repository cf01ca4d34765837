// One interview as a BagIt bag: what the archive holds of it, complete and unredacted (this is the preservation
// copy, for admins only). Used by `npm run cli -- export-bag` and by the admin download (the same entries, zipped).
//
//   data/interview.json                         metadata, people, media facts, restrictions, transcript history
//   data/media/part-<n>/<original file name>    the preservation masters, byte for byte
//   data/transcripts/part-<n>/current.{vtt,ohms.xml,json}
//   data/transcripts/part-<n>/versions/v<k>.{vtt,ohms.xml,json}   every version
//   data/index/part-<n>.json                    the OHMS-style index (chapters)
//   data/consent/<consentId>/v<k>.json (+ scan)  only with --with-consent
import path from 'node:path';
import { resolveInUploads } from '../media/paths.js';
import type { Store } from '../store/repositories.js';
import type { Collection, Interview } from '../store/types.js';
import { exportTranscript } from '../transcripts/formats/index.js';
import type { BagEntry, BagInfo } from './bagit.js';

export const BAG_METADATA_SCHEMA = 'schichtbuch.interview-bag/1';
export const SOURCE_ORGANIZATION_DEFAULT = 'Schichtbuch – Oral-History-Archiv Ferropolis';

export interface BagPlan {
  interview: Interview;
  entries: BagEntry[];
  info: BagInfo;
}

export class BagExportError extends Error {
  override name = 'BagExportError';
}

const scanExt: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * A payload file name every BagIt tool reads the same: no path separators or control characters, and no "%" —
 * RFC 8493 percent-encodes it in manifests, but the Library of Congress bagit.py (1.9.0, bagit-python issue 157) and
 * others do not, so a "%" would make the bag invalid there. The exact original name is kept in interview.json.
 */
export function payloadName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[/\\\0%\p{Cc}]/gu, '_')
    .replace(/^\.+/, '_');
  return cleaned === '' ? 'original' : cleaned;
}

export async function planInterviewBag(
  store: Store,
  uploadsDir: string,
  interviewId: string,
  opts: { withConsent?: boolean; sourceOrganization?: string; bagGroup?: { id: string; count: string } } = {},
): Promise<BagPlan> {
  const interview = await store.interviews.findById(interviewId);
  if (!interview) throw new BagExportError(`no interview ${interviewId}`);
  const collection: Collection | null = interview.collectionId
    ? await store.collections.findById(interview.collectionId)
    : null;
  const media = await store.media.listByInterview(interview.id);
  const entries: BagEntry[] = [];
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  const mediaMeta = [];
  const transcriptMeta = [];
  for (const m of media) {
    const dir = `part-${m.part}`;
    const mediaPath = `media/${dir}/${payloadName(m.originalFilename)}`;
    entries.push({
      path: mediaPath,
      source: { file: resolveInUploads(uploadsDir, m.originalPath) },
      expectedSha256: m.sha256,
    });
    mediaMeta.push({
      id: m.id,
      part: m.part,
      kind: m.kind,
      originalFilename: m.originalFilename,
      sha256: m.sha256,
      sizeBytes: m.sizeBytes,
      technical: m.technical,
      createdAt: m.createdAt,
      createdBy: m.createdBy,
      payloadPath: `data/${mediaPath}`,
    });

    const index = await store.transcripts.getIndex(m.id);
    if (index) entries.push({ path: `index/${dir}.json`, source: { content: json(index) } });

    const head = await store.transcripts.head(m.id);
    if (!head) continue;
    const versions = [];
    for (const summary of [...(await store.transcripts.listVersions(m.id))].reverse()) {
      const v = await store.transcripts.getVersion(m.id, summary.version);
      if (!v) continue;
      const input = { segments: v.segments, index: index?.points ?? [], title: interview.title };
      const base = `transcripts/${dir}/versions/v${v.version}`;
      entries.push({ path: `${base}.json`, source: { content: exportTranscript(input, 'json') } });
      entries.push({ path: `${base}.vtt`, source: { content: exportTranscript(input, 'vtt') } });
      entries.push({ path: `${base}.ohms.xml`, source: { content: exportTranscript(input, 'ohms') } });
      versions.push({
        version: v.version,
        authorId: v.authorId,
        reason: v.reason,
        source: v.source,
        createdAt: v.createdAt,
        segmentCount: v.segments.length,
        payloadPath: `data/${base}.json`,
      });
      if (v.version === head.currentVersion) {
        for (const [ext, format] of [
          ['json', 'json'],
          ['vtt', 'vtt'],
          ['ohms.xml', 'ohms'],
        ] as const) {
          entries.push({
            path: `transcripts/${dir}/current.${ext}`,
            source: { content: exportTranscript(input, format) },
          });
        }
      }
    }
    transcriptMeta.push({ mediaId: m.id, part: m.part, currentVersion: head.currentVersion, versions });
  }

  const consents = [];
  if (opts.withConsent) {
    for (const current of await store.consents.currentForInterview(interview.id)) {
      for (const record of await store.consents.history(current.id)) {
        const base = `consent/${record.id}/v${record.version}`;
        entries.push({ path: `${base}.json`, source: { content: json(record) } });
        if (record.scan) {
          entries.push({
            path: `${base}-scan.${scanExt[record.scan.mime] ?? 'bin'}`,
            source: { file: resolveInUploads(uploadsDir, record.scan.path) },
            expectedSha256: record.scan.sha256,
          });
        }
        consents.push({ id: record.id, version: record.version, payloadPath: `data/${base}.json` });
      }
    }
  }

  const restrictions = await store.review.listRestrictions({ interviewId: interview.id, includeLifted: true });
  entries.unshift({
    path: 'interview.json',
    source: {
      content: json({
        schema: BAG_METADATA_SCHEMA,
        interview,
        collection,
        media: mediaMeta,
        transcripts: transcriptMeta,
        restrictions,
        consentIncluded: Boolean(opts.withConsent),
        consents,
      }),
    },
  });

  const info: BagInfo = [
    ['Source-Organization', opts.sourceOrganization ?? SOURCE_ORGANIZATION_DEFAULT],
    ['Bagging-Date', new Date().toISOString().slice(0, 10)],
    ['External-Identifier', interview.id],
    ['External-Description', interview.title],
    ['Bag-Software-Agent', 'Schichtbuch'],
    ...(collection ? [['Internal-Sender-Description', `Sammlung: ${collection.title}`] as [string, string]] : []),
    ...(opts.bagGroup
      ? ([
          ['Bag-Group-Identifier', opts.bagGroup.id],
          ['Bag-Count', opts.bagGroup.count],
        ] as [string, string][])
      : []),
  ];
  return { interview, entries, info };
}

/** A folder name for an interview's bag inside a collection export: readable, unique by id. */
export function bagFolderName(interview: Pick<Interview, 'id' | 'title'>): string {
  const slug = interview.title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return path.basename(`${slug || 'interview'}-${interview.id.slice(0, 8)}`);
}
