// zod schemas of the IIIF routes (server/iiif/routes.ts), exported for the OpenAPI description.
import { z } from 'zod';

export const iiifManifestParams = z.strictObject({ id: z.uuid() });
export const iiifCollectionParams = z.strictObject({ id: z.uuid() });
export const iiifCaptionParams = z.strictObject({
  id: z.uuid(),
  mediaId: z.uuid(),
  /** BCP 47 language of the transcript, as the manifest names it. */
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/),
});

/** A IIIF Presentation 3 document is JSON-LD; the schema checks only its outer shape (tests validate it in full). */
export const iiifDocumentSchema = z.looseObject({
  '@context': z.literal('http://iiif.io/api/presentation/3/context.json'),
  id: z.url(),
  type: z.enum(['Manifest', 'Collection']),
});
