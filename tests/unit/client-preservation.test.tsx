// The admin's preservation parts of the contributor area (client/src/contributor/preservation): the order of fixity
// alerts, the bag download URL, and the alert list as rendered markup (German and English).
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import i18n from '../../client/src/i18n/index.js';
import '../../client/src/contributor/i18n/index.js';
import { FixityProblemList } from '../../client/src/contributor/preservation/FixityAlert.js';
import { bagUrl, problemsOf, type FixityProblem } from '../../client/src/contributor/preservation/fixity.js';

const problem = (over: Partial<FixityProblem>): FixityProblem => ({
  id: 'e1',
  at: '2026-12-01T10:00:00.000Z',
  outcome: 'fail',
  path: 'originals/i1/m1/original.wav',
  fileKind: 'original',
  mediaId: 'm1',
  interviewId: 'i1',
  expectedSha256: 'a'.repeat(64),
  actualSha256: 'b'.repeat(64),
  detail: null,
  ...over,
});

describe('fixity alerts and the bag download (admin UI)', () => {
  const rendition = problem({
    id: 'e2',
    at: '2026-12-01T09:00:00.000Z',
    outcome: 'missing',
    path: 'renditions/m2/download.m4a',
    fileKind: 'rendition',
    mediaId: 'm2',
    interviewId: 'i2',
    detail: 're-made from the original (job queued)',
  });
  const older = problem({
    id: 'e3',
    at: '2026-11-30T10:00:00.000Z',
    path: 'originals/i2/m3/original.mp3',
    interviewId: 'i2',
  });

  it('lists originals first, oldest first, and filters by interview', () => {
    expect(problemsOf({ problems: [rendition, problem({}), older] }).map((p) => p.id)).toEqual(['e3', 'e1', 'e2']);
    expect(problemsOf({ problems: [rendition, problem({}), older] }, 'i2').map((p) => p.id)).toEqual(['e3', 'e2']);
    expect(problemsOf(null)).toEqual([]);
  });

  it('links the bag download, with consent records only when asked', () => {
    expect(bagUrl('0b6f-ä', false)).toBe('/api/interviews/0b6f-%C3%A4/bag.zip');
    expect(bagUrl('x', true)).toBe('/api/interviews/x/bag.zip?consent=1');
  });

  it('says what is wrong with each file and that an original is never replaced automatically', async () => {
    await i18n.changeLanguage('de');
    const de = renderToStaticMarkup(
      <MemoryRouter>
        <FixityProblemList problems={[problem({}), rendition]} showInterview />
      </MemoryRouter>,
    );
    expect(de).toContain('<strong>Original</strong> Prüfsumme weicht ab: <code>originals/i1/m1/original.wav</code>');
    expect(de).toContain('wird nicht automatisch ersetzt');
    expect(de).toContain('<strong>Abspielfassung</strong> fehlt: <code>renditions/m2/download.m4a</code>');
    expect(de).toContain('wird aus dem Original neu erstellt');
    expect(de).toContain('href="/mitarbeit/interviews/i1"');
    await i18n.changeLanguage('en');
    const en = renderToStaticMarkup(
      <MemoryRouter>
        <FixityProblemList problems={[problem({})]} showInterview={false} />
      </MemoryRouter>,
    );
    expect(en).toContain('<strong>Original</strong> checksum differs');
    expect(en).not.toContain('href=');
    await i18n.changeLanguage('de');
  });
});
