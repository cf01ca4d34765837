import { z } from 'zod';

export const createCollectionSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000).nullable().optional(),
});

export const updateCollectionSchema = createCollectionSchema
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'Mindestens ein Feld angeben.' });

export const collectionIdParams = z.strictObject({ id: z.uuid() });
