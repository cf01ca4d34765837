import { z } from 'zod';
import { zodMessage } from '../i18n/messages.js';

export const createCollectionSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000).nullable().optional(),
});

export const updateCollectionSchema = createCollectionSchema
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: zodMessage('field.atLeastOne') });

export const collectionIdParams = z.strictObject({ id: z.uuid() });
