import { z } from 'zod';
import { zodMessage } from '../i18n/messages.js';

/** Automatic transcription on ingest: on or off, and the language given to the engine (null: the interview's). */
export const autoTranscribeSchema = z
  .strictObject({
    enabled: z.boolean(),
    language: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}$/, {
        error:
          "ISO-639-1-Sprachcode wie de oder en, oder null für die Sprache des Interviews (a language code such as de or en, or null for the interview's language)",
      })
      .nullable()
      .default(null),
  })
  .meta({
    id: 'AutoTranscribe',
    description:
      "When enabled, every medium of the collection's interviews gets one automatic draft transcript once its renditions are ready (needs a configured ASR engine; see GET /api/asr).",
  });

export const createCollectionSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000).nullable().optional(),
  autoTranscribe: autoTranscribeSchema.optional(),
});

export const updateCollectionSchema = createCollectionSchema
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: zodMessage('field.atLeastOne') });

export const collectionIdParams = z.strictObject({ id: z.uuid() });

/** A collection as the API answers it (fields may grow). */
export const collectionAnswer = z
  .looseObject({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    autoTranscribe: z.object({ enabled: z.boolean(), language: z.string().nullable() }),
    version: z.number().int(),
  })
  .meta({ id: 'Collection' });
