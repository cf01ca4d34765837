// German first, English second: `?lang=en` or an Accept-Language that prefers English switches; default is German.
import type { Request } from 'express';

export type Locale = 'de' | 'en';

export function localeOf(req: Pick<Request, 'query' | 'headers'>): Locale {
  const explicit = typeof req.query?.lang === 'string' ? req.query.lang : undefined;
  if (explicit === 'en' || explicit === 'de') return explicit;
  const header = req.headers?.['accept-language'];
  if (typeof header !== 'string' || header === '') return 'de';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.lang === 'de' || x.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? 'de';
}
