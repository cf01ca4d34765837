// A queued job record as the store holds it, for tests and benches that put jobs into a store directly (not through
// the queue, which validates payloads against the job registry).
import crypto from 'node:crypto';
import type { Store } from '../../server/store/repositories.js';
import type { JobRecord } from '../../server/store/types.js';

export function queuedJobRecord(name: string, payload: Record<string, unknown>): JobRecord {
  const now = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    name,
    payload,
    status: 'queued',
    mediaId: null,
    dedupeKey: null,
    attempts: 0,
    maxAttempts: 3,
    runAfter: now,
    leaseOwner: null,
    leaseExpiresAt: null,
    progress: 0,
    error: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    ownerId: null,
  };
}

/**
 * An interview with `n` audio media, written through the store's repositories: the rows job tests need (jobs reference
 * media), never processed (their files are never touched). `ready` gives media whose pipeline has finished.
 */
export async function createJobTestMedia(
  store: Store,
  n: number,
  opts: { status?: 'stored' | 'ready' } = {},
): Promise<{ interviewId: string; mediaIds: string[] }> {
  const now = new Date().toISOString();
  const interviewId = crypto.randomUUID();
  await store.interviews.create({
    id: interviewId,
    collectionId: null,
    title: 'Jobtest',
    people: [],
    recordedAt: null,
    place: null,
    language: 'de',
    summary: null,
    keywords: [],
    visibility: 'private',
    status: 'draft',
    grants: [],
    embargoUntil: null,
    embargoListed: false,
    createdBy: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const status = opts.status ?? 'stored';
  const mediaIds: string[] = [];
  for (let part = 1; part <= n; part++) {
    const mediaId = crypto.randomUUID();
    await store.media.create({
      id: mediaId,
      interviewId,
      part,
      kind: 'audio',
      status,
      progress: status === 'ready' ? 100 : 0,
      originalFilename: 'a.wav',
      originalPath: `originals/${interviewId}/${mediaId}/original.wav`,
      sha256: '0'.repeat(64),
      sizeBytes: 1,
      technical: {
        container: 'wav',
        durationSec: 1,
        bitRate: null,
        audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 8000 },
        video: null,
        playableMime: 'audio/wav',
      },
      derivatives: {},
      error: null,
      renditionRedaction: '',
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    });
    mediaIds.push(mediaId);
  }
  return { interviewId, mediaIds };
}
