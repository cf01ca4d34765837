import { z } from 'zod';
import { consentMethods, consentScopes, withdrawalPolicies } from '../store/types.js';
import { zodMessage } from '../i18n/messages.js';

const realDay = (d: string) =>
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: zodMessage('field.day') })
  .refine(realDay, { message: zodMessage('field.notRealDate') })
  .refine((d) => d <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), {
    message: zodMessage('field.inFuture'),
  });

/** An embargo as a day (ends at its start, UTC) or an instant. */
const embargo = z
  .union([
    z.iso.datetime({ offset: true }),
    // a day that does not exist (0000-00-00, 2019-02-30) is refused here: as a Date it threw and answered 500
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((d) => realDay(d), { message: zodMessage('field.notRealDate') }),
  ])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString());

export const consentInputSchema = z.strictObject({
  narrator: z.string().trim().min(1).max(200),
  scope: z
    .array(z.enum(consentScopes))
    .min(1, { message: zodMessage('field.atLeastOneScope') })
    .transform((s) => [...new Set(s)]),
  givenOn: isoDay,
  method: z.enum(consentMethods),
  embargoUntil: embargo.nullable().default(null),
  onWithdrawal: z.enum(withdrawalPolicies).default('keep_archive'),
  notes: z
    .string()
    .trim()
    .max(5000)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null),
  /** Keep the previous version's scan when no new file is sent (updates only). */
  keepScan: z.boolean().default(true),
});
export type ConsentInput = z.output<typeof consentInputSchema>;

export const consentParams = z.strictObject({ id: z.uuid(), consentId: z.uuid() });
export const consentScanQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
