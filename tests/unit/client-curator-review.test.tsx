// The curators' side of review (client/src/contributor/curation, lib/*), the pure parts: mm:ss, the word diff of a
// correction, the letter model and its markup, the audit diff and publication settings. The consent form and the
// multipart sender are in client-curator.test.tsx.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../../client/src/contributor/i18n/index.js';
import { fixedCt } from '../../client/src/contributor/i18n/index.js';
import { LetterView } from '../../client/src/contributor/curation/InvitationLetter.js';
import { DiffText } from '../../client/src/contributor/curation/ReviewItems.js';
import { publicationFieldKey } from '../../client/src/contributor/curation/PublicationPanel.js';
import { actionLabel, actorLabel } from '../../client/src/contributor/curation/AuditLog.js';
import { auditValue, compactDiff, isAuditAction } from '../../client/src/contributor/lib/audit.js';
import { formatDay } from '../../client/src/contributor/lib/dates.js';
import { FORM_LEVEL } from '../../client/src/contributor/lib/fieldErrors.js';
import { codeUrlOf, letterModel, letterStore, svgDataUri } from '../../client/src/contributor/lib/letter.js';
import {
  buildPublicationPatch,
  confirmsWord,
  fromLocalInput,
  parseUserGrant,
  publicationForm,
  statusSteps,
  toLocalInput,
} from '../../client/src/contributor/lib/publication.js';
import { formatTimecode as formatMmSs, formatTimeSpan as formatSpan } from '../../client/src/lib/time.js';
import {
  diffWords,
  restrictionAuthor,
  sortCorrections,
  sortInvitations,
} from '../../client/src/contributor/lib/review.js';
import type { Correction, CreatedInvitation, Invitation } from '../../client/src/contributor/types.js';

describe('review overview helpers', () => {
  it('writes times as mm:ss (h:mm:ss from one hour), never negative', () => {
    expect(formatMmSs(0)).toBe('00:00');
    expect(formatMmSs(83.9)).toBe('01:23');
    expect(formatMmSs(599.999)).toBe('09:59');
    expect(formatMmSs(3723)).toBe('1:02:03');
    expect(formatMmSs(-4)).toBe('00:00');
    expect(formatMmSs(Number.NaN)).toBe('00:00');
    expect(formatSpan(12.4, 17.2)).toBe('00:12–00:18');
    expect(formatSpan(60, 90)).toBe('01:00–01:30');
  });

  it('diffs a correction word by word and joins back to both texts', () => {
    const original = 'Ich habe dreißig Jahre im Tagebau Golpa Nord gearbeitet.';
    const proposed = 'Ich habe zweiunddreißig Jahre im Tagebau Golpa-Nord gearbeitet.';
    const parts = diffWords(original, proposed);
    expect(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(original);
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(proposed);
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['dreißig', 'Golpa Nord']);
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['zweiunddreißig', 'Golpa-Nord']);
    expect(diffWords('gleich', 'gleich')).toEqual([{ kind: 'same', text: 'gleich' }]);
    expect(diffWords('', 'neu')).toEqual([{ kind: 'added', text: 'neu' }]);
    expect(diffWords('a b c', 'x y z', 2)).toEqual([
      { kind: 'removed', text: 'a b c' },
      { kind: 'added', text: 'x y z' },
    ]);
  });

  it('marks removed and added words for sighted and screen reader users', () => {
    const parts = diffWords('im Tagebau Golpa', 'im Tagebau Gröbern');
    const before = renderToStaticMarkup(<DiffText parts={parts} side="original" />);
    const after = renderToStaticMarkup(<DiffText parts={parts} side="proposed" />);
    expect(before).toContain('<del class="sb-c-diff-del">');
    expect(before).toContain('Golpa');
    expect(before).not.toContain('Gröbern');
    expect(after).toContain('<ins class="sb-c-diff-ins">');
    expect(after).toContain('Gröbern');
    expect(after).toMatch(/visually-hidden">\[(neu|new): </);
  });

  it('orders invitations and corrections, and names who restricted a passage', () => {
    const inv = (id: string, state: Invitation['state'], createdAt: string): Invitation => ({
      id,
      interviewId: 'i',
      narrator: `N${id}`,
      createdAt,
      expiresAt: createdAt,
      revokedAt: null,
      lastUsedAt: null,
      state,
    });
    const list = [
      inv('1', 'revoked', '2026-01-03'),
      inv('2', 'active', '2026-01-01'),
      inv('3', 'expired', '2026-01-02'),
      inv('4', 'active', '2026-01-05'),
    ];
    expect(sortInvitations(list).map((i) => i.id)).toEqual(['4', '2', '3', '1']);
    const corr = (id: string, status: Correction['status'], createdAt: string) =>
      ({ id, status, createdAt }) as Correction;
    expect(
      sortCorrections([
        corr('a', 'accepted', '2026-02-01'),
        corr('b', 'open', '2026-01-01'),
        corr('c', 'open', '2026-03-01'),
      ]).map((c) => c.id),
    ).toEqual(['c', 'b', 'a']);
    expect(restrictionAuthor({ createdByKind: 'narrator', createdById: '2' }, list, 'me')).toEqual({
      kind: 'narrator',
      name: 'N2',
    });
    expect(restrictionAuthor({ createdByKind: 'user', createdById: 'me' }, list, 'me')).toEqual({
      kind: 'you',
      name: '',
    });
    expect(restrictionAuthor({ createdByKind: 'user', createdById: 'abcdef0123456' }, list, 'me')).toEqual({
      kind: 'user',
      name: 'abcdef01',
    });
    expect(restrictionAuthor({ createdByKind: 'system', createdById: null }, list, 'me').kind).toBe('system');
  });
});

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h29v29H0z"/><path stroke="#000000" d="M2 2.5h7"/></svg>\n';

const created = (over: Partial<CreatedInvitation> = {}): CreatedInvitation => ({
  invitation: {
    id: 'inv-1',
    interviewId: 'int-1',
    narrator: 'Erika Lehmann',
    createdAt: '2026-06-01T10:00:00.000Z',
    expiresAt: '2026-07-13T10:00:00.000Z',
    revokedAt: null,
    lastUsedAt: null,
    state: 'active',
  },
  token: 'tok_ABCdef123',
  code: 'K7QM-X2RT-9P',
  link: 'https://schichtbuch.example.org/durchsicht/tok_ABCdef123',
  qrSvg: svg,
  ...over,
});

describe('the invitation letter', () => {
  it('turns only an SVG document into an image source', () => {
    const uri = svgDataUri(svg)!;
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').toString('utf8')).toBe(svg.trim());
    expect(svgDataUri(`<?xml version="1.0" encoding="utf-8"?>\n${svg}`)).not.toBeNull();
    expect(svgDataUri('<script>alert(1)</script>')).toBeNull();
    expect(svgDataUri('<img src=x onerror=alert(1)><svg></svg>')).toBeNull();
    expect(svgDataUri('')).toBeNull();
  });

  it('has everything the narrator needs, in their language', () => {
    const model = letterModel(created(), 'Erika Lehmann: Schichtwechsel', 'de');
    expect(model).toMatchObject({
      narrator: 'Erika Lehmann',
      interviewTitle: 'Erika Lehmann: Schichtwechsel',
      code: 'K7QM-X2RT-9P',
      codeGroups: ['K7QM', 'X2RT', '9P'],
      codeUrl: 'https://schichtbuch.example.org/durchsicht',
      codeUrlShort: 'schichtbuch.example.org/durchsicht',
      expiresOn: '13. Juli 2026',
      writtenOn: '1. Juni 2026',
    });
    expect(model.qrSrc).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(letterModel(created({ interviewTitle: 'Vom Server' }), 'Aus der Seite', 'en')).toMatchObject({
      interviewTitle: 'Vom Server',
      expiresOn: '13 July 2026',
    });
    expect(
      codeUrlOf({ link: 'http://127.0.0.1:3000/durchsicht/abc', codeUrl: 'http://127.0.0.1:3000/durchsicht/' }),
    ).toBe('http://127.0.0.1:3000/durchsicht');
    expect(codeUrlOf({ link: 'http://127.0.0.1:3000/durchsicht/abc' })).toBe('http://127.0.0.1:3000/durchsicht');
  });

  it('renders the letter with the QR code as an image, never as inline markup', () => {
    const html = renderToStaticMarkup(
      <LetterView model={letterModel(created(), 'Schichtwechsel', 'de')} ct={fixedCt('de')} lang="de" />,
    );
    expect(html).toContain('lang="de"');
    expect(html).toContain('Guten Tag, Erika Lehmann,');
    expect(html).toContain('„Schichtwechsel“');
    expect(html).toContain('K7QM-X2RT-9P');
    expect(html).toContain('schichtbuch.example.org/durchsicht<');
    expect(html).toContain('https://schichtbuch.example.org/durchsicht/tok_ABCdef123');
    expect(html).toContain('13. Juli 2026');
    expect(html).toContain('Bei Fragen:');
    expect(html).toMatch(/<img class="sb-c-letter-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR-Code/);
    expect(html).not.toContain('<svg');
    const en = renderToStaticMarkup(
      <LetterView model={letterModel(created(), 'Shift change', 'en')} ct={fixedCt('en')} lang="en" />,
    );
    expect(en).toContain('Dear Erika Lehmann,');
    expect(en).toContain('13 July 2026');
  });

  it('keeps the one-time answer in memory only, until dropped', () => {
    letterStore.put(created(), 'Schichtwechsel');
    expect(letterStore.get('inv-1')?.created.code).toBe('K7QM-X2RT-9P');
    letterStore.drop('inv-1');
    expect(letterStore.get('inv-1')).toBeUndefined();
  });
});

describe('audit log', () => {
  it('shows only what changed, two levels deep, with short values', () => {
    expect(
      compactDiff(
        { status: 'approved', visibility: 'public' },
        { status: 'published', visibility: 'public', reason: 'embargo ended' },
      ),
    ).toEqual([
      { path: 'status', before: 'approved', after: 'published' },
      { path: 'reason', after: 'embargo ended' },
    ]);
    expect(compactDiff(null, { narrator: 'Erika', scope: ['archive'] })).toEqual([
      { path: 'narrator', after: 'Erika' },
      { path: 'scope', after: '["archive"]' },
    ]);
    expect(
      compactDiff({ place: { name: 'Gräfenhainichen', lat: 51.7 } }, { place: { name: 'Ferropolis', lat: 51.7 } }),
    ).toEqual([{ path: 'place.name', before: 'Gräfenhainichen', after: 'Ferropolis' }]);
    expect(compactDiff({ status: 'active' }, null)).toEqual([{ path: 'status', before: 'active' }]);
    expect(compactDiff(null, null)).toEqual([]);
    // a record created: its bookkeeping fields and empty values say nothing
    expect(
      compactDiff(null, {
        id: 'c1',
        interviewId: 'i1',
        narrator: 'Erika',
        notes: null,
        scan: null,
        grants: [],
        createdAt: 'x',
        version: 1,
      }),
    ).toEqual([
      { path: 'narrator', after: 'Erika' },
      { path: 'version', after: '1' },
    ]);
    expect(compactDiff({ notes: 'alt' }, { notes: null })).toEqual([{ path: 'notes', before: 'alt', after: '–' }]);
    expect(compactDiff('a', 'b')).toEqual([{ path: '', before: 'a', after: 'b' }]);
    expect(auditValue('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(auditValue(null)).toBe('–');
  });

  it('names actions and actors, and accepts only filters the server accepts', () => {
    const ct = fixedCt('de');
    expect(actionLabel('consent.version', ct)).toBe('Einverständniserklärung gespeichert');
    expect(actionLabel('restriction.removed-by-narrator', ct)).toContain('Sperrvermerk');
    expect(actionLabel('something.new', ct)).toBe('something.new');
    expect(actorLabel({ actorKind: 'system', actorId: null, actorLabel: null }, ct)).toBe('Schichtbuch (automatisch)');
    expect(actorLabel({ actorKind: 'user', actorId: 'u1', actorLabel: 'chefin@example.org' }, ct)).toBe(
      'chefin@example.org',
    );
    expect(isAuditAction('review.request_changes')).toBe(true);
    expect(isAuditAction('DROP TABLE')).toBe(false);
  });
});

describe('publication settings', () => {
  it('converts the embargo between datetime-local and ISO in local time', () => {
    const iso = fromLocalInput('2030-05-01T09:30');
    expect(typeof iso).toBe('string');
    expect(toLocalInput(iso!)).toBe('2030-05-01T09:30');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('01.05.2030')).toBeUndefined();
    expect(fromLocalInput('2030-02-30T10:00')).toBeUndefined();
    expect(toLocalInput(null)).toBe('');
  });

  it('sends only what changed, and nothing for an unchanged embargo with seconds', () => {
    const saved = {
      embargoUntil: '2030-05-01T07:30:45.000Z',
      embargoListed: false,
      grants: ['group:11111111-1111-1111-1111-111111111111'],
    };
    const form = publicationForm(saved);
    expect(buildPublicationPatch(form, saved)).toEqual({ patch: {}, problem: null });
    expect(buildPublicationPatch({ ...form, embargoListed: true }, saved).patch).toEqual({ embargoListed: true });
    expect(buildPublicationPatch({ ...form, embargoUntil: '' }, saved).patch).toEqual({ embargoUntil: null });
    const grant = 'user:22222222-2222-2222-2222-222222222222';
    expect(buildPublicationPatch({ ...form, grants: [...form.grants, grant, grant] }, saved).patch).toEqual({
      grants: [...saved.grants, grant],
    });
    expect(buildPublicationPatch({ ...form, embargoUntil: 'morgen' }, saved)).toEqual({
      patch: {},
      problem: 'embargoFormat',
    });
  });

  it('reads user grants, offers the workflow steps and checks the confirmation word', () => {
    expect(parseUserGrant(' user:ABCDEF01-2345-6789-abcd-ef0123456789 ')).toBe(
      'user:abcdef01-2345-6789-abcd-ef0123456789',
    );
    expect(parseUserGrant('abcdef01-2345-6789-abcd-ef0123456789')).toBe('user:abcdef01-2345-6789-abcd-ef0123456789');
    expect(parseUserGrant('group:abcdef01-2345-6789-abcd-ef0123456789')).toBeNull();
    expect(parseUserGrant('chefin@example.org')).toBeNull();
    expect(statusSteps('approved')).toEqual(['in_review', 'published']);
    expect(statusSteps('withdrawn')).toEqual([]);
    expect(confirmsWord('  Widerrufen ', 'widerrufen')).toBe(true);
    expect(confirmsWord('widerruf', 'widerrufen')).toBe(false);
    expect(publicationFieldKey('body.grants.2')).toBe('grants');
    expect(publicationFieldKey('body.embargoUntil')).toBe('embargoUntil');
    expect(publicationFieldKey('body')).toBe(FORM_LEVEL);
  });

  it('reads day embargoes in UTC', () => {
    expect(formatDay('2031-01-01T00:00:00.000Z', 'de')).toBe('1. Januar 2031');
    expect(formatDay('2019-05-17', 'en')).toBe('17 May 2019');
  });
});
