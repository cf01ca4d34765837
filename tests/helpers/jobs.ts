// A queued job record as the store holds it, for tests and benches that put jobs into a store directly (not through
// the queue, which validates payloads against the job registry).
import crypto from 'node:crypto';
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
