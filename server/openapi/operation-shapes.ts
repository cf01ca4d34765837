// The vocabulary of the route table: what an operation is, and the shorthands its entries use (answers by shape,
// shared headers and bodies). The entries themselves are in the operations-*.ts files, one per area.
import { z } from 'zod';
import { consentInputSchema } from '../consent/schemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
export type Access = 'anyone' | 'user' | 'staff' | 'admin' | 'narrator' | 'editor';

/** What a successful answer carries. */
export type Answer =
  | { status: number; json: z.ZodType; description?: string }
  | { status: number; none: true; description?: string }
  | { status: number; content: Record<string, z.ZodType>; description?: string };

export interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** JSON body, or several content types. */
  body?: z.ZodType | { content: Record<string, z.ZodType>; required?: boolean };
  ok: Answer[];
}

// Answers are described by shape (a record, a page of records); their fields are the domain's and may grow.
export const record = z
  .looseObject({})
  .meta({ id: 'Record', description: 'A JSON object (the record as the API presents it).' });
export const withId = z.looseObject({ id: z.string() }).meta({ id: 'RecordWithId' });
export const page = z
  .looseObject({
    items: z.array(z.looseObject({})),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  })
  .meta({ id: 'Page' });
export const items = z.looseObject({ items: z.array(z.looseObject({})) }).meta({ id: 'Items' });
export const binary = z.string().meta({ format: 'binary' });
export const text = z.string();

export const json = (schema: z.ZodType, status = 200, description?: string): Answer => ({
  status,
  json: schema,
  ...(description ? { description } : {}),
});
export const none = (status = 204, description?: string): Answer => ({
  status,
  none: true,
  ...(description ? { description } : {}),
});
export const ifMatch = z.object({
  'if-match': z
    .string()
    .optional()
    .meta({ description: 'ETag of the version the change is based on (W/"v3"); 412 when it is not current.' }),
});

export const tusHeaders = z.object({
  'tus-resumable': z.string().optional().meta({ description: 'tus protocol version (1.0.0)' }),
  'upload-length': z.string().optional(),
  'upload-offset': z.string().optional(),
  'upload-metadata': z.string().optional().meta({ description: 'tus metadata: interviewId, filename (base64)' }),
});
export const uploadParams = z.object({ uploadId: z.string().max(200) });
export const mediaFileParams = z.object({
  mediaId: z.string(),
  file: z.string().meta({
    description:
      'original, hls/master.m3u8, hls/<segment>, download.m4a, poster.jpg, storyboard.vtt, storyboard.jpg, waveform.json',
  }),
});
export const grantFileParams = mediaFileParams.extend({ grant: z.string() });
export const oaiQuery = z.object({
  verb: z
    .string()
    .optional()
    .meta({ description: 'Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords' }),
  identifier: z.string().optional(),
  metadataPrefix: z.string().optional().meta({ description: 'oai_dc or edm' }),
  from: z.string().optional(),
  until: z.string().optional(),
  set: z.string().optional(),
  resumptionToken: z.string().optional(),
});
export const transcriptBody = {
  content: Object.fromEntries(
    ['text/vtt', 'application/x-subrip', 'text/plain', 'application/xml', 'application/json'].map((t) => [t, text]),
  ),
  required: true,
};
export const consentBody = {
  content: {
    'application/json': consentInputSchema,
    'multipart/form-data': z.object({
      record: z.string().meta({ description: 'the consent record as JSON' }),
      file: binary.optional(),
    }),
  },
  required: true,
};

export const op = (
  method: Method,
  path: string,
  tag: string,
  access: Access,
  summary: string,
  rest: Partial<Operation> & { ok: Answer[] },
): Operation => ({ method, path, tag, access, summary, ...rest });
