// The records bench/store.ts writes: interviews, media and jobs shaped like the ones the upload flow writes.
import crypto from 'node:crypto';
import type { Interview, JobRecord, Medium } from '../../server/store/types.js';
import { queuedJobRecord } from '../../tests/helpers/jobs.js';

export const iso = () => new Date().toISOString();
const languages = ['de', 'de', 'de', 'en'];
const visibilities = ['public', 'public', 'registered', 'restricted', 'private'] as const;
const statuses = ['published', 'published', 'published', 'draft', 'in_review', 'approved'] as const;

export function interview(n: number, collectionIds: string[]): Interview {
  const now = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    id: crypto.randomUUID(),
    collectionId: collectionIds[n % collectionIds.length]!,
    title: `Interview ${n}: Schicht im Tagebau Golpa-Nord`,
    people: [
      { name: `Zeitzeuge ${n}`, role: 'narrator' },
      { name: `Studentin ${n % 37}`, role: 'interviewer' },
    ],
    recordedAt: `20${10 + (n % 15)}-0${1 + (n % 9)}-1${n % 10}`,
    place: null,
    language: languages[n % languages.length]!,
    summary: `Erinnerungen an die Brikettfabrik, die Förderbrücke und die Wende (${n}).`,
    keywords: ['Tagebau', n % 2 ? 'Brikett' : 'Kraftwerk'],
    visibility: visibilities[n % visibilities.length]!,
    status: statuses[n % statuses.length]!,
    grants: [],
    embargoUntil: null,
    embargoListed: false,
    createdBy: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export function medium(interviewId: string, part: number): Medium {
  const now = iso();
  const id = crypto.randomUUID();
  return {
    id,
    interviewId,
    part,
    kind: 'audio',
    status: 'stored',
    progress: 0,
    originalFilename: `band-${part}.wav`,
    originalPath: `originals/${id}/band-${part}.wav`,
    sha256: crypto.randomBytes(32).toString('hex'),
    sizeBytes: 48_000_000,
    technical: {
      container: 'wav',
      durationSec: 1800,
      bitRate: 256_000,
      audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 16000 },
      video: null,
      playableMime: 'audio/wav',
    },
    derivatives: {},
    error: null,
    renditionRedaction: '',
    createdBy: null,
    createdAt: now,
    updatedAt: now,
  };
}

export const job = (n: number): JobRecord => queuedJobRecord('search.reindex-bench', { v: 1, n });
