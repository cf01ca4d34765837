import { z } from 'zod';
import { roles } from '../store/types.js';
import { zodMessage } from '../i18n/messages.js';

export const emailSchema = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
// Length over complexity rules (NIST 800-63B); argon2 input stays bounded.
export const passwordSchema = z.string().min(12).max(512);

export const createUserSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  role: z.enum(roles),
  displayName: z.string().trim().min(1).max(200).optional(),
});
export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({
    role: z.enum(roles).optional(),
    disabled: z.boolean().optional(),
    displayName: z.string().trim().min(1).max(200).optional(),
    password: passwordSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: zodMessage('field.atLeastOne') });
export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const userIdParams = z.strictObject({ id: z.uuid() });
