import { z } from 'zod';
import { zodMessage } from '../i18n/messages.js';

const seconds = z
  .number()
  .finite()
  .min(0)
  .max(48 * 3600);

export const segmentSchema = z
  .strictObject({
    // null/null: untimed text (legacy OHMS without timecodes); a transcript is all timed or all untimed
    start: seconds.nullable(),
    end: seconds.nullable(),
    speaker: z.string().trim().min(1).max(200).nullable(),
    text: z.string().trim().min(1).max(20_000),
    words: z
      .array(
        z.strictObject({
          start: seconds,
          end: seconds,
          text: z.string().min(1).max(200),
          probability: z.number().min(0).max(1).optional(),
          aligned: z.literal(false).optional(),
        }),
      )
      .max(5000)
      .optional(),
    unaligned: z.literal(true).optional(),
  })
  .refine((s) => (s.start === null) === (s.end === null), { message: zodMessage('field.startAndEnd'), path: ['end'] })
  .refine((s) => s.start === null || s.end === null || s.end > s.start, {
    message: zodMessage('field.endAfterStart'),
    path: ['end'],
  });

export const segmentsSchema = z
  .array(segmentSchema)
  .max(100_000)
  .refine((all) => all.every((s) => s.start === null) || all.every((s) => s.start !== null), {
    message: zodMessage('field.allOrNoTimes'),
  });

export const segmentPatchSchema = z
  .strictObject({
    text: z.string().trim().min(1).max(20_000).optional(),
    speaker: z.string().trim().min(1).max(200).nullable().optional(),
    start: seconds.optional(),
    end: seconds.optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((v) => v.text !== undefined || v.speaker !== undefined || v.start !== undefined || v.end !== undefined, {
    message: zodMessage('field.segmentPatchEmpty'),
  });
export type SegmentPatch = Omit<z.output<typeof segmentPatchSchema>, 'reason'>;

export const splitSchema = z.strictObject({
  at: seconds,
  textOffset: z.number().int().min(1).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const reasonSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

export const restoreSchema = z.strictObject({
  version: z.number().int().min(1),
  reason: z.string().trim().min(1).max(500).optional(),
});

const indexPlaceSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  zoom: z.number().int().min(0).max(22).optional(),
  nameAlt: z.string().trim().min(1).max(200).optional(),
});

export const indexPointSchema = z.strictObject({
  start: seconds,
  title: z.string().trim().min(1).max(300),
  synopsis: z.string().trim().max(10_000).nullable().default(null),
  keywords: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  subjects: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  place: indexPlaceSchema.nullable().default(null),
  partialTranscript: z.string().max(10_000).nullable().optional(),
  // OHMS's translated index (`_alt` fields), further places and links: kept so an OHMS round trip loses nothing
  titleAlt: z.string().trim().min(1).max(300).optional(),
  synopsisAlt: z.string().trim().min(1).max(10_000).optional(),
  partialTranscriptAlt: z.string().min(1).max(10_000).optional(),
  keywordsAlt: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  subjectsAlt: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  morePlaces: z.array(indexPlaceSchema).max(50).optional(),
  hyperlinks: z
    .array(
      z.strictObject({
        url: z.url().max(2000),
        text: z.string().trim().max(500),
        textAlt: z.string().trim().min(1).max(500).optional(),
      }),
    )
    .max(50)
    .optional(),
});

export const putIndexSchema = z.strictObject({ points: z.array(indexPointSchema).max(2000) });

export const transcriptParams = z.strictObject({ id: z.uuid(), mediaId: z.uuid() });
export const segmentParams = transcriptParams.extend({ n: z.coerce.number().int().min(0) });

export const formats = ['vtt', 'srt', 'txt', 'json', 'ohms'] as const;

export const importQuery = z.strictObject({
  format: z.enum(formats).optional(),
  filename: z.string().max(300).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
  lang: z.enum(['de', 'en']).optional(),
});

export const exportQuery = z.strictObject({
  format: z.enum(formats).default('json'),
  version: z.coerce.number().int().min(1).optional(),
  download: z.enum(['true', 'false']).optional(),
  lang: z.enum(['de', 'en']).optional(),
});

export const diffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
  lang: z.enum(['de', 'en']).optional(),
});
