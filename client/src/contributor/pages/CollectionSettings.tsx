// "Sammlungen": each collection's settings — for now whether its media are transcribed automatically once they are
// ready, and in which language (PATCH /api/collections/:id with If-Match). Curators and admins change it; contributors
// see what applies to their uploads. When no ASR engine is configured the option is disabled and the server's
// explanation (GET /api/asr → howToEnable) says how to turn it on.
import { useId, useState } from 'react';
import { type ApiProblem, asProblem, interviewEtag, request } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { Problem } from '../../components/Problem.js';
import { isStaff, useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import type { AsrStatus, Collection, Paged } from '../types.js';

/** The languages offered besides "the interview's language" (the same as the transcript editor's). */
export const autoTranscribeLanguages = ['de', 'en', 'pl', 'ru', 'cs'] as const;

export function CollectionSettingsPage() {
  const { ct } = useCt();
  const me = useSession();
  const list = useApi<Paged<Collection>>('/api/collections?pageSize=100');
  const asrStatus = useApi<AsrStatus>('/api/asr');
  const collections = list.data?.items ?? null;
  const asr = asrStatus.data ?? null;
  const problem = list.problem ?? asrStatus.problem;
  const setCollections = (update: (all: Collection[] | undefined) => Collection[] | null) =>
    list.setData((answer) => ({ ...answer!, items: update(answer?.items) ?? [] }));
  useDocumentTitle(ct('collections.pageTitle'));

  return (
    <section aria-labelledby="sb-c-collections-title">
      <h1 id="sb-c-collections-title">{ct('collections.pageTitle')}</h1>
      {problem && <Problem signIn problem={problem} />}
      {!problem && (!collections || !asr) && <p role="status">{ct('common.loading')}</p>}
      {collections && asr && collections.length === 0 && <p>{ct('collections.none')}</p>}
      {collections &&
        asr &&
        collections.map((c) => (
          <CollectionAutoTranscribe
            key={c.id}
            collection={c}
            asr={asr}
            canEdit={isStaff(me)}
            onSaved={(saved) => setCollections((all) => all?.map((x) => (x.id === saved.id ? saved : x)) ?? null)}
          />
        ))}
    </section>
  );
}

interface Props {
  collection: Collection;
  asr: AsrStatus;
  /** Curators and admins; others see the setting read-only. */
  canEdit: boolean;
  onSaved: (collection: Collection) => void;
}

/** One collection's automatic-transcription setting as a small form. */
export function CollectionAutoTranscribe({ collection, asr, canEdit, onSaved }: Props) {
  const { ct, lang } = useCt();
  const [enabled, setEnabled] = useState(collection.autoTranscribe.enabled);
  const [language, setLanguage] = useState(collection.autoTranscribe.language ?? '');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const enabledId = useId();
  const languageId = useId();
  const hintId = useId();
  const titleId = useId();
  const off = !asr.enabled;
  const disabled = !canEdit || off || saving;
  const changed =
    enabled !== collection.autoTranscribe.enabled || (language || null) !== collection.autoTranscribe.language;

  const save = async () => {
    setSaving(true);
    setSaved(false);
    setProblem(null);
    try {
      const { data } = await request<Collection>('PATCH', `/api/collections/${encodeURIComponent(collection.id)}`, {
        json: { autoTranscribe: { enabled, language: language || null } },
        ifMatch: interviewEtag(collection.version),
      });
      onSaved(data);
      setSaved(true);
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="sb-c-card sb-c-collection-settings"
      aria-labelledby={titleId}
      data-testid="collection-auto-transcribe"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id={titleId} className="sb-c-card-title">
        {collection.title}
      </h2>
      {collection.description && <p className="sb-c-meta">{collection.description}</p>}
      <div className="sb-c-checkbox">
        <input
          id={enabledId}
          type="checkbox"
          checked={enabled}
          disabled={disabled}
          aria-describedby={hintId}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <label htmlFor={enabledId}>{ct('collections.autoTranscribe')}</label>
      </div>
      <p id={hintId} className="sb-c-hint">
        {off ? (asr.howToEnable?.[lang] ?? ct('asr.off')) : ct('collections.autoTranscribeHint')}
      </p>
      {off && collection.autoTranscribe.enabled && <p className="sb-c-field-error">{ct('collections.onButAsrOff')}</p>}
      <div className="sb-c-field">
        <label htmlFor={languageId}>{ct('collections.language')}</label>
        <select
          id={languageId}
          value={language}
          disabled={disabled || !enabled}
          onChange={(e) => setLanguage(e.target.value)}
        >
          <option value="">{ct('collections.interviewLanguage')}</option>
          {autoTranscribeLanguages.map((l) => (
            <option key={l} value={l}>
              {ct(`asr.languages.${l}` as 'asr.languages.de')}
            </option>
          ))}
          {language !== '' && !(autoTranscribeLanguages as readonly string[]).includes(language) && (
            <option value={language}>{language}</option>
          )}
        </select>
      </div>
      {canEdit ? (
        <p className="sb-c-actions">
          <button type="submit" className="sb-c-button sb-c-primary" disabled={disabled || !changed}>
            {ct('collections.save')}
          </button>
        </p>
      ) : (
        <p className="sb-c-meta">{ct('collections.staffOnly')}</p>
      )}
      <div role="status" aria-live="polite">
        {saved && !changed && <p>{ct('collections.saved')}</p>}
      </div>
      {problem && <Problem signIn problem={problem} />}
    </form>
  );
}
