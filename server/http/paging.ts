import { z } from 'zod';
import type { PageRequest } from '../store/types.js';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export type PageQuery = z.output<typeof pageQuery>;

export const pageOf = ({ page, pageSize }: PageQuery): PageRequest => ({
  limit: pageSize,
  offset: (page - 1) * pageSize,
});
