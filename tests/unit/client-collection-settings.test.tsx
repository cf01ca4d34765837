// The collection settings of the contributor area (client/src/contributor/pages/CollectionSettings.tsx): the
// automatic-transcription option, enabled for staff when ASR is on, disabled with the server's how-to-enable text
// when it is off, read-only for contributors — in German and English.
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../../client/src/i18n/index.js';
import '../../client/src/contributor/i18n/index.js';
import { CollectionAutoTranscribe } from '../../client/src/contributor/pages/CollectionSettings.js';
import type { AsrStatus, Collection } from '../../client/src/contributor/types.js';
import { asrStatus } from '../../server/asr/engines.js';

const collection = (over: Partial<Collection> = {}): Collection => ({
  id: 'c1',
  title: 'Spring School Ferropolis 2026',
  description: null,
  createdBy: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 3,
  autoTranscribe: { enabled: false, language: null },
  ...over,
});
const on: AsrStatus = { enabled: true, engine: 'http', model: 'tiny.en', howToEnable: null };
// the server's own answer when nothing is configured
const off: AsrStatus = asrStatus(null);

const render = (c: Collection, asr: AsrStatus, canEdit = true) =>
  renderToStaticMarkup(
    <MemoryRouter>
      <CollectionAutoTranscribe collection={c} asr={asr} canEdit={canEdit} onSaved={() => undefined} />
    </MemoryRouter>,
  );
const checkbox = (html: string) => /<input[^>]*type="checkbox"[^>]*>/.exec(html)![0];

describe('collection settings: automatic transcription on ingest', () => {
  afterAll(() => i18n.changeLanguage('de'));

  it("staff with ASR on: the option can be switched, the language offers the interview's own and the engine languages", async () => {
    await i18n.changeLanguage('de');
    const html = render(collection({ autoTranscribe: { enabled: true, language: 'en' } }), on);
    expect(html).toContain('Neue Aufnahmen automatisch transkribieren');
    expect(html).toContain('nur, wenn sie noch kein Transkript hat');
    expect(checkbox(html)).toContain('checked');
    expect(checkbox(html)).not.toContain('disabled');
    expect(html).toContain('<option value="">Sprache des Interviews</option>');
    expect(html).toMatch(/<option value="en" selected="">Englisch<\/option>/);
    expect(html).toContain('>Speichern</button>');
  });

  it('ASR off: the option is disabled and says how to turn ASR on (de and en), and warns when it is switched on anyway', async () => {
    await i18n.changeLanguage('de');
    const de = render(collection(), off);
    expect(checkbox(de)).toContain('disabled');
    expect(de).toContain(off.howToEnable!.de.slice(0, 60));
    expect(de).toContain('ASR_URL');
    expect(de).not.toContain('Eingeschaltet, aber');
    expect(render(collection({ autoTranscribe: { enabled: true, language: null } }), off)).toContain(
      'Eingeschaltet, aber ohne eingerichtete Spracherkennung',
    );
    await i18n.changeLanguage('en');
    const en = render(collection(), off);
    expect(en).toContain('Transcribe new recordings automatically');
    expect(en).toContain('Automatic transcription is off. To turn it on set ASR_URL');
    expect(checkbox(en)).toContain('disabled');
  });

  it('contributors see the setting read-only, without a save button', async () => {
    await i18n.changeLanguage('en');
    const html = render(collection({ autoTranscribe: { enabled: true, language: null } }), on, false);
    expect(checkbox(html)).toContain('disabled');
    expect(checkbox(html)).toContain('checked');
    expect(html).not.toContain('<button');
    expect(html).toContain('Only curators and admins change this setting.');
  });
});
