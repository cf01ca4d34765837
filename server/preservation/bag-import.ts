// `npm run cli -- import-bag <folder>`: a bag made by export-bag comes (back) into the archive. The whole bag is
// validated first — every checksum, completeness, Payload-Oxum, tag manifests — and a bag with any problem is refused
// with every problem named; nothing is written then. A valid bag becomes a new draft interview through the services
// (media ingest with probing and jobs, every transcript version in order, the index); a failure midway removes what
// this import created, so the archive never holds half a bag.
import path from 'node:path';
import { z } from 'zod';
import type { Services } from '../app.js';
import type { Viewer } from '../access/viewer.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import { createInterviewSchema } from '../interviews/schemas.js';
import { issueText } from '../i18n/messages.js';
import { archiveHashes, ingestLocalFile } from './archive-writer.js';
import { BAG_METADATA_SCHEMA } from './bag-export.js';
import { validateBag, type BagProblem } from './bagit.js';
import fs from 'node:fs/promises';

const bagMetadataSchema = z.object({
  schema: z.literal(BAG_METADATA_SCHEMA),
  interview: z.object({
    id: z.string(),
    title: z.string(),
    people: z.array(z.object({ name: z.string(), role: z.enum(['narrator', 'interviewer']) })),
    recordedAt: z.string().nullable(),
    place: z.object({ name: z.string(), lat: z.number().optional(), lon: z.number().optional() }).nullable(),
    language: z.string(),
    summary: z.string().nullable(),
    keywords: z.array(z.string()),
    visibility: z.enum(['public', 'registered', 'restricted', 'private']),
    collectionId: z.string().nullable(),
  }),
  media: z.array(
    z.object({
      id: z.string(),
      part: z.number().int(),
      originalFilename: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      payloadPath: z.string(),
    }),
  ),
  transcripts: z.array(
    z.object({
      mediaId: z.string(),
      currentVersion: z.number().int(),
      versions: z.array(
        z.object({ version: z.number().int(), reason: z.string(), source: z.string(), payloadPath: z.string() }),
      ),
    }),
  ),
});

export class BagRefused extends Error {
  override name = 'BagRefused';
  constructor(
    readonly problems: BagProblem[],
    message?: string,
  ) {
    super(message ?? `bag refused: ${problems.length} problem(s)`);
  }
}

export interface BagImportResult {
  interviewId: string;
  externalIdentifier: string | null;
  media: { mediaId: string; part: number; file: string; sha256: string }[];
  transcriptVersions: number;
}

export async function importBag(
  deps: { store: Store; services: Services; uploadsDir: string; viewer: Viewer; logger: Logger },
  folder: string,
): Promise<BagImportResult> {
  const { store, services, uploadsDir, viewer, logger } = deps;
  const base = path.resolve(folder);
  const validation = await validateBag(base);
  if (!validation.ok) throw new BagRefused(validation.problems);
  const listed = new Map(validation.payload.map((p) => [`data/${p.path}`, p.sha256]));

  const raw = await fs.readFile(path.join(base, 'data', 'interview.json'), 'utf8').catch(() => null);
  if (raw === null)
    throw new BagRefused([
      {
        code: 'missing-file',
        path: 'data/interview.json',
        message: 'data/interview.json is missing: not a Schichtbuch interview bag',
      },
    ]);
  let meta: z.output<typeof bagMetadataSchema>;
  try {
    meta = bagMetadataSchema.parse(JSON.parse(raw));
  } catch (err) {
    const detail =
      err instanceof z.ZodError
        ? err.issues.map((i) => `${i.path.join('.')}: ${issueText(i.message)}`).join('; ')
        : String(err);
    throw new BagRefused([
      {
        code: 'bad-manifest-line',
        path: 'data/interview.json',
        message: `data/interview.json is not a ${BAG_METADATA_SCHEMA} record: ${detail}`,
      },
    ]);
  }
  // the metadata must describe the payload: every medium it names is in the manifest with the same checksum
  const problems: BagProblem[] = [];
  for (const m of meta.media) {
    if (listed.get(m.payloadPath) !== m.sha256)
      problems.push({
        code: 'checksum-mismatch',
        path: m.payloadPath,
        message: `${m.payloadPath}: interview.json and manifest-sha256.txt disagree (or the file is not in the bag)`,
      });
  }
  for (const t of meta.transcripts)
    for (const v of t.versions)
      if (!listed.has(v.payloadPath))
        problems.push({
          code: 'missing-file',
          path: v.payloadPath,
          message: `${v.payloadPath} is named in interview.json but not in the bag`,
        });
  const present = await archiveHashes(store);
  for (const m of meta.media) {
    const existing = present.get(m.sha256);
    if (existing)
      problems.push({
        code: 'checksum-mismatch',
        path: m.payloadPath,
        message: `${m.payloadPath} is already in the archive (SHA-256 ${m.sha256.slice(0, 12)}…, interview ${existing.interviewId}); not imported twice`,
      });
  }
  if (problems.length > 0) throw new BagRefused(problems);

  const external = validation.info.find(([l]) => l === 'External-Identifier')?.[1] ?? null;
  const collectionId =
    meta.interview.collectionId && (await store.collections.findById(meta.interview.collectionId))
      ? meta.interview.collectionId
      : undefined;
  const input = createInterviewSchema.parse({
    title: meta.interview.title,
    people: meta.interview.people,
    recordedAt: meta.interview.recordedAt ?? undefined,
    place: meta.interview.place ?? undefined,
    language: meta.interview.language,
    summary: meta.interview.summary ?? undefined,
    keywords: meta.interview.keywords,
    visibility: meta.interview.visibility,
    ...(collectionId ? { collectionId } : {}),
  });
  const interview = await services.interviews.create(viewer, input);
  const result: BagImportResult = {
    interviewId: interview.id,
    externalIdentifier: external,
    media: [],
    transcriptVersions: 0,
  };
  try {
    const mediaIdOf = new Map<string, string>();
    for (const m of [...meta.media].sort((a, b) => a.part - b.part)) {
      const medium = await ingestLocalFile(
        services,
        uploadsDir,
        viewer,
        interview.id,
        path.join(base, ...m.payloadPath.split('/')),
        { filename: m.originalFilename, expectedSha256: m.sha256 },
      );
      mediaIdOf.set(m.id, medium.id);
      result.media.push({ mediaId: medium.id, part: medium.part, file: m.payloadPath, sha256: medium.sha256 });
    }
    for (const t of meta.transcripts) {
      const mediaId = mediaIdOf.get(t.mediaId);
      if (!mediaId) continue;
      for (const v of [...t.versions].sort((a, b) => a.version - b.version)) {
        const text = await fs.readFile(path.join(base, ...v.payloadPath.split('/')), 'utf8');
        await services.transcripts.import({
          viewer,
          interviewId: interview.id,
          mediaId,
          text,
          format: 'json',
          reason: `${v.reason} (aus Bag / from bag, v${v.version}, ${v.source})`,
        });
        result.transcriptVersions++;
      }
    }
    await services.audit.record(viewer, {
      interviewId: interview.id,
      action: 'preservation.bag-import',
      entity: 'interview',
      entityId: interview.id,
      after: {
        externalIdentifier: external,
        bag: path.basename(base),
        payloadOxum: validation.info.find(([l]) => l === 'Payload-Oxum')?.[1] ?? null,
        media: result.media,
      },
    });
    logger.info({ interviewId: interview.id, externalIdentifier: external }, 'bag imported');
    return result;
  } catch (err) {
    // nothing half-imported: the interview and its media go again
    await services.interviews
      .delete(viewer, interview.id)
      .catch((e) => logger.error({ err: e, interviewId: interview.id }, 'rollback of bag import failed'));
    throw err;
  }
}
