// The catalogue's API cases as data (catalogue-cases-*.ts): each states the exact status and problem type, and
// `runApiCase` proves that nothing was stored (a digest of every table and the UPLOADS_DIR file list, before and after).
import supertest from 'supertest';
import { storedRows, uploadFiles } from './helpers.js';
import { type Result, results } from './catalogue.data.js';
import { t } from './catalogue-fixture.js';

export interface ApiCase {
  id: string;
  /** the exact answer */
  status: number;
  type: string | null;
  request: () => supertest.Test | Promise<supertest.Response>;
  /** default: nothing stored. `medium`: a medium is the point of the case (its name is checked by `check`). */
  stores?: 'medium';
  /** more to hold, e.g. the stored file name; returns a reason when it does not */
  check?: (res: supertest.Response) => string | null | Promise<string | null>;
}

export const anon = () => supertest(t.app);

export async function runApiCase(group: string, c: ApiCase): Promise<Result> {
  const rows = storedRows(t);
  const files = uploadFiles(t);
  const res = await c.request();
  const problems: string[] = [];
  const type = (res.body as { type?: string } | undefined)?.type ?? null;
  if (res.status !== c.status) problems.push(`status ${res.status} instead of ${c.status}`);
  if (c.type !== null && type !== c.type) problems.push(`type ${type} instead of ${c.type}`);
  if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json'))
    problems.push(`not problem+json: ${res.headers['content-type']}`);
  if (!c.stores) {
    const now = storedRows(t);
    const changed = Object.keys(now).filter((k) => now[k] !== rows[k]);
    if (changed.length > 0) problems.push(`stored: ${changed.join(', ')}`);
    const newFiles = uploadFiles(t).filter((f) => !files.includes(f));
    if (newFiles.length > 0) problems.push(`files left: ${newFiles.join(', ')}`);
  }
  const extra = await c.check?.(res);
  if (extra) problems.push(extra);
  const result = { id: c.id, group, held: problems.length === 0, detail: problems.join('; ') };
  results.push(result);
  return result;
}
