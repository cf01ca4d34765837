import { z } from 'zod';
import { interviewSorts } from '../store/repositories.js';
import { personRoles, visibilities, workflowStatuses } from '../store/types.js';
import { zodMessage } from '../i18n/messages.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** "2019", "2019-05" or "2019-05-17": oral histories often know only the year or month. */
export const partialDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: zodMessage('field.partialDate') })
  .refine(isRealPartialDate, { message: zodMessage('field.notCalendarDate') });

function isRealPartialDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number?, number?];
  if (y < 1800) return false;
  if (m !== undefined && (m < 1 || m > 12)) return false;
  if (d !== undefined) {
    const date = new Date(Date.UTC(y, (m ?? 1) - 1, d));
    if (date.getUTCMonth() !== (m ?? 1) - 1 || date.getUTCDate() !== d) return false;
  }
  // a recording cannot come from the future (one day of slack for time zones)
  return value.slice(0, 10) <= new Date(Date.now() + 86400_000).toISOString().slice(0, value.length);
}

export const personSchema = z.strictObject({ name: text(200), role: z.enum(personRoles) });

export const placeSchema = z
  .strictObject({
    name: text(200),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .refine((p) => (p.lat === undefined) === (p.lon === undefined), {
    message: zodMessage('field.latLonTogether'),
    path: ['lat'],
  });

const keywords = z
  .array(text(100))
  .max(50)
  // the same keyword twice in other case is one keyword
  .transform((list) => list.filter((k, i) => list.findIndex((o) => o.toLowerCase() === k.toLowerCase()) === i));

export const languageSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
  message: zodMessage('field.languageCode'),
});

const interviewFields = {
  title: text(300),
  collectionId: z.uuid().nullable(),
  people: z.array(personSchema).max(50),
  recordedAt: partialDate.nullable(),
  place: placeSchema.nullable(),
  language: languageSchema,
  summary: z.string().trim().max(20_000).nullable(),
  keywords,
  visibility: z.enum(visibilities),
};

export const createInterviewSchema = z.strictObject({
  title: interviewFields.title,
  collectionId: interviewFields.collectionId.optional(),
  people: interviewFields.people.default([]),
  recordedAt: interviewFields.recordedAt.optional(),
  place: interviewFields.place.optional(),
  language: interviewFields.language.default('de'),
  summary: interviewFields.summary.optional(),
  keywords: interviewFields.keywords.default([]),
  // Nothing is visible beyond its team by default: publication needs consent and review.
  visibility: interviewFields.visibility.default('private'),
});
export type CreateInterviewInput = z.output<typeof createInterviewSchema>;

export const patchInterviewSchema = z
  .strictObject({
    ...(Object.fromEntries(Object.entries(interviewFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof interviewFields]: z.ZodOptional<(typeof interviewFields)[K]>;
    }),
    status: z.enum(workflowStatuses).optional(),
    // curators and admins only (checked by the service)
    grants: z
      .array(z.string().regex(/^(user|group):[0-9a-f-]{36}$/, { message: 'user:<id> oder group:<id>' }))
      .max(500)
      .transform((list) => [...new Set(list)])
      .optional(),
    embargoUntil: z.iso
      .datetime({ offset: true })
      .transform((d) => new Date(d).toISOString())
      .nullable()
      .optional(),
    embargoListed: z.boolean().optional(),
    /** Why (for the audit log), e.g. for a withdrawal on the narrator's behalf. */
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((v) => Object.entries(v).some(([k, x]) => k !== 'reason' && x !== undefined), {
    message: zodMessage('field.atLeastOne'),
  });
export type PatchInterviewInput = z.output<typeof patchInterviewSchema>;

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const listInterviewsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  collectionId: z.uuid().optional(),
  status: csvOf(workflowStatuses).optional(),
  visibility: csvOf(visibilities).optional(),
  language: languageSchema.optional(),
  keyword: text(100).optional(),
  person: text(200).optional(),
  q: text(200).optional(),
  recordedFrom: partialDate.optional(),
  recordedTo: partialDate.optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(interviewSorts).default('-updatedAt'),
  lang: z.enum(['de', 'en']).optional(),
});
export type ListInterviewsQuery = z.output<typeof listInterviewsQuery>;

export const interviewIdParams = z.strictObject({ id: z.uuid() });
