// IIIF Presentation 3.0 documents built from what one viewer may see: pure functions, no store, no HTTP.
// One Canvas per medium (duration, and size for video) painted by a Choice of HLS and the MP4/M4A download, a
// `supplementing` WebVTT annotation per transcript language, Ranges from the index points. Every id is absolute
// (the schema IIIF's presentation-validator uses requires `^http`).
import type { PublicMedium } from '../media/presenters.js';
import type { Collection, ConsentRecord, IndexPoint, Interview } from '../store/types.js';
import { msg, type Text } from '../i18n/messages.js';

export const IIIF_CONTEXT = 'http://iiif.io/api/presentation/3/context.json';
/** The media type IIIF registers for Presentation 3 documents (for Accept and `<link rel="alternate">`). */
export const IIIF_MEDIA_TYPE = `application/ld+json;profile="${IIIF_CONTEXT}"`;
export const OHMS_PROFILE = 'https://www.weareavp.com/nunncenter/ohms';

type LangMap = Record<string, string[]>;

export interface CanvasSource {
  medium: PublicMedium;
  /** Transcript languages with a caption file (today one: the interview's language). */
  captionLanguages: string[];
  hasTranscript: boolean;
  index: IndexPoint[];
}

export interface ManifestInput {
  /** Absolute origin the ids are built on, e.g. `https://archiv.example.org`. */
  base: string;
  interview: Interview;
  collection: Collection | null;
  consents: ConsentRecord[];
  canvases: CanvasSource[];
}

// rightsstatements.org URIs in the http form the Presentation 3 schema accepts.
export const RIGHTS = {
  inCopyright: 'http://rightsstatements.org/vocab/InC/1.0/',
  educationalUse: 'http://rightsstatements.org/vocab/InC-EDU/1.0/',
} as const;

/**
 * The narrator keeps the rights to their recollections; consent grants uses, not a licence. So: "In Copyright", and
 * "In Copyright – Educational Use Permitted" when every current consent covers education and the public web.
 */
export function rightsFor(consents: readonly ConsentRecord[]): string {
  const open =
    consents.length > 0 && consents.every((c) => c.scope.includes('education') && c.scope.includes('public_web'));
  return open ? RIGHTS.educationalUse : RIGHTS.inCopyright;
}

const both = (text: Text): LangMap => ({ de: [text.de], en: [text.en] });

function langOf(code: string): string {
  return /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(code) ? code : 'none';
}

export function absolute(base: string, url: string): string {
  return new URL(url, `${base}/`).href;
}

export const iiifPaths = {
  manifest: (id: string) => `/iiif/interviews/${id}/manifest`,
  collection: (id: string) => `/iiif/collections/${id}`,
  canvas: (id: string, mediaId: string) => `/iiif/interviews/${id}/canvas/${mediaId}`,
  captions: (id: string, mediaId: string, lang: string) =>
    `/iiif/interviews/${id}/media/${mediaId}/captions.${lang}.vtt`,
};

const transcriptUrl = (interviewId: string, mediaId: string, format: string, download = true) =>
  `/api/interviews/${interviewId}/media/${mediaId}/transcript?format=${format}${download ? '&download=true' : ''}`;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function navDateOf(recordedAt: string | null): string | undefined {
  if (!recordedAt) return undefined;
  const [y, m = '01', d = '01'] = recordedAt.split('-');
  const iso = `${y}-${m}-${d}T00:00:00Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function people(interview: Interview, role: 'narrator' | 'interviewer'): string[] {
  return interview.people.filter((p) => p.role === role).map((p) => p.name);
}

function metadataOf(interview: Interview, collection: Collection | null): { label: LangMap; value: LangMap }[] {
  const rows: { label: LangMap; value: LangMap }[] = [];
  const add = (label: LangMap, values: string[]) => {
    if (values.length > 0) rows.push({ label, value: { none: values } });
  };
  add(both(msg('iiif.narrator')), people(interview, 'narrator'));
  add(both(msg('iiif.interviewer')), people(interview, 'interviewer'));
  add(both(msg('iiif.recorded')), interview.recordedAt ? [interview.recordedAt] : []);
  add(both(msg('iiif.place')), interview.place ? [interview.place.name] : []);
  add(both(msg('iiif.language')), [interview.language]);
  add(both(msg('iiif.keywords')), interview.keywords);
  add(both(msg('iiif.collection')), collection ? [collection.title] : []);
  return rows;
}

function providerOf(base: string) {
  return [
    {
      id: absolute(base, '/'),
      type: 'Agent',
      label: both(msg('iiif.archive')),
      homepage: [{ id: absolute(base, '/'), type: 'Text', label: both(msg('iiif.home')), format: 'text/html' }],
    },
  ];
}

function thumbnailOf(base: string, medium: PublicMedium) {
  if (!medium.poster) return undefined;
  const video = medium.technical.video;
  return [
    {
      id: absolute(base, medium.poster),
      type: 'Image',
      format: 'image/jpeg',
      ...(video ? { width: video.width, height: video.height } : {}),
    },
  ];
}

/** The painting body: a Choice of HLS (adaptive) and the progressive download; one of them alone when only it exists. */
function paintingBody(base: string, medium: PublicMedium) {
  const type = medium.kind === 'video' ? 'Video' : 'Sound';
  const video = medium.technical.video;
  const size = video && medium.kind === 'video' ? { width: video.width, height: video.height } : {};
  const duration = round3(medium.durationSec);
  const items: Record<string, unknown>[] = [];
  if (medium.hls)
    items.push({ id: absolute(base, medium.hls), type, format: 'application/vnd.apple.mpegurl', duration, ...size });
  if (medium.download)
    items.push({
      id: absolute(base, medium.download),
      type,
      format: medium.kind === 'video' ? 'video/mp4' : 'audio/mp4',
      duration,
      ...size,
    });
  if (items.length === 0 && medium.original && medium.originalPlayable) {
    items.push({ id: absolute(base, medium.original), type, format: medium.originalMime, duration, ...size });
  }
  if (items.length === 0) return null;
  return items.length === 1 ? items[0] : { type: 'Choice', items };
}

/** Whether a medium can be painted at all (renditions or a playable original this viewer may get). */
export function isPaintable(medium: PublicMedium): boolean {
  return (
    medium.durationSec > 0 &&
    (medium.hls !== null || medium.download !== null || (medium.original !== null && medium.originalPlayable))
  );
}

function canvasOf(input: ManifestInput, source: CanvasSource) {
  const { base, interview } = input;
  const { medium } = source;
  const canvasId = absolute(base, iiifPaths.canvas(interview.id, medium.id));
  const body = paintingBody(base, medium);
  const video = medium.technical.video;
  const captions = source.captionLanguages.map((lang) => ({
    id: `${canvasId}/annotation/captions-${lang}`,
    type: 'Annotation',
    motivation: 'supplementing',
    target: canvasId,
    body: {
      id: absolute(base, iiifPaths.captions(interview.id, medium.id, lang)),
      type: 'Text',
      format: 'text/vtt',
      language: lang,
      label: both(msg('iiif.transcriptIn', { lang })),
    },
  }));
  return {
    id: canvasId,
    type: 'Canvas',
    label: both(msg('iiif.tape', { part: medium.part })),
    duration: round3(medium.durationSec),
    ...(medium.kind === 'video' && video ? { width: video.width, height: video.height } : {}),
    ...(thumbnailOf(base, medium) ? { thumbnail: thumbnailOf(base, medium) } : {}),
    items: [
      {
        id: `${canvasId}/page/painting`,
        type: 'AnnotationPage',
        items: body
          ? [
              {
                id: `${canvasId}/annotation/painting`,
                type: 'Annotation',
                motivation: 'painting',
                target: canvasId,
                body,
              },
            ]
          : [],
      },
    ],
    ...(captions.length > 0
      ? { annotations: [{ id: `${canvasId}/page/supplementing`, type: 'AnnotationPage', items: captions }] }
      : {}),
  };
}

function rangesOf(input: ManifestInput) {
  const { base, interview } = input;
  const lang = langOf(interview.language);
  const perMedium = input.canvases.map((source) => {
    const canvasId = absolute(base, iiifPaths.canvas(interview.id, source.medium.id));
    const duration = round3(source.medium.durationSec);
    const points = [...source.index].sort((a, b) => a.start - b.start).filter((p) => p.start < duration);
    const ranges = points.map((p, i) => {
      const end = Math.min(duration, points[i + 1]?.start ?? duration);
      return {
        id: absolute(base, `/iiif/interviews/${interview.id}/range/${source.medium.id}/${i + 1}`),
        type: 'Range',
        label: { [lang]: [p.title] },
        ...(p.synopsis ? { summary: { [lang]: [p.synopsis] } } : {}),
        items: [{ id: `${canvasId}#t=${round3(p.start)},${round3(Math.max(end, p.start))}`, type: 'Canvas' }],
      };
    });
    return { source, ranges };
  });
  if (perMedium.length === 1) return perMedium[0]!.ranges;
  return perMedium
    .filter((m) => m.ranges.length > 0)
    .map((m) => ({
      id: absolute(base, `/iiif/interviews/${interview.id}/range/${m.source.medium.id}`),
      type: 'Range',
      label: both(msg('iiif.tape', { part: m.source.medium.part })),
      items: m.ranges,
    }));
}

export function buildManifest(input: ManifestInput): Record<string, unknown> {
  const { base, interview, collection } = input;
  const lang = langOf(interview.language);
  const narrators = people(interview, 'narrator');
  const year = interview.recordedAt?.slice(0, 4);
  const credit = [
    `Schichtbuch${collection ? ` – ${collection.title}` : ''}`,
    narrators.length ? narrators.join(', ') : null,
    year ?? null,
  ]
    .filter((x): x is string => x !== null)
    .join(', ');
  const withTranscript = input.canvases.filter((c) => c.hasTranscript);
  const part = (c: CanvasSource, label: Text) =>
    both(input.canvases.length > 1 ? msg('iiif.ofTape', { label, part: c.medium.part }) : label);
  const structures = rangesOf(input);
  const thumb = input.canvases.map((c) => thumbnailOf(base, c.medium)).find((t) => t !== undefined);
  const navDate = navDateOf(interview.recordedAt);
  return {
    '@context': IIIF_CONTEXT,
    id: absolute(base, iiifPaths.manifest(interview.id)),
    type: 'Manifest',
    label: { [lang]: [interview.title] },
    ...(interview.summary ? { summary: { [lang]: [interview.summary] } } : {}),
    metadata: metadataOf(interview, collection),
    ...(navDate ? { navDate } : {}),
    rights: rightsFor(input.consents),
    requiredStatement: { label: both(msg('iiif.attribution')), value: { none: [credit] } },
    provider: providerOf(base),
    homepage: [
      {
        id: absolute(base, `/interviews/${interview.id}`),
        type: 'Text',
        label: { [lang]: [interview.title] },
        format: 'text/html',
        language: ['de', 'en'],
      },
    ],
    ...(thumb ? { thumbnail: thumb } : {}),
    ...(withTranscript.length > 0
      ? {
          seeAlso: withTranscript.map((c) => ({
            id: absolute(base, transcriptUrl(interview.id, c.medium.id, 'ohms', false)),
            type: 'Dataset',
            label: part(c, msg('iiif.ohms')),
            format: 'application/xml',
            profile: OHMS_PROFILE,
          })),
          rendering: withTranscript.flatMap((c) => [
            {
              id: absolute(base, transcriptUrl(interview.id, c.medium.id, 'vtt')),
              type: 'Text',
              label: part(c, msg('iiif.vtt')),
              format: 'text/vtt',
            },
            {
              id: absolute(base, transcriptUrl(interview.id, c.medium.id, 'srt')),
              type: 'Text',
              label: part(c, msg('iiif.srt')),
              format: 'application/x-subrip',
            },
            {
              id: absolute(base, transcriptUrl(interview.id, c.medium.id, 'txt')),
              type: 'Text',
              label: part(c, msg('iiif.txt')),
              format: 'text/plain',
            },
            {
              id: absolute(base, transcriptUrl(interview.id, c.medium.id, 'ohms')),
              type: 'Dataset',
              label: part(c, msg('iiif.ohmsTranscript')),
              format: 'application/xml',
            },
          ]),
        }
      : {}),
    ...(collection
      ? {
          partOf: [
            {
              id: absolute(base, iiifPaths.collection(collection.id)),
              type: 'Collection',
              label: { none: [collection.title] },
            },
          ],
        }
      : {}),
    items: input.canvases.map((c) => canvasOf(input, c)),
    ...(structures.length > 0 ? { structures } : {}),
  };
}

export interface CollectionEntry {
  interview: Interview;
  thumbnail: string | null;
}

export function buildCollection(input: {
  base: string;
  collection: Collection;
  entries: CollectionEntry[];
}): Record<string, unknown> {
  const { base, collection } = input;
  return {
    '@context': IIIF_CONTEXT,
    id: absolute(base, iiifPaths.collection(collection.id)),
    type: 'Collection',
    label: { none: [collection.title] },
    ...(collection.description ? { summary: { none: [collection.description] } } : {}),
    requiredStatement: { label: both(msg('iiif.attribution')), value: { none: [`Schichtbuch – ${collection.title}`] } },
    provider: providerOf(base),
    homepage: [{ id: absolute(base, '/'), type: 'Text', label: { none: [collection.title] }, format: 'text/html' }],
    items: input.entries.map((e) => ({
      id: absolute(base, iiifPaths.manifest(e.interview.id)),
      type: 'Manifest',
      label: { [langOf(e.interview.language)]: [e.interview.title] },
      ...(e.thumbnail ? { thumbnail: [{ id: absolute(base, e.thumbnail), type: 'Image', format: 'image/jpeg' }] } : {}),
    })),
  };
}
