// Every transcript change is a complete version: who, when, why; any older one can be restored (as a new version).
import { useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { describeSource } from '../lib/versions.js';
import { useSession } from '../session.js';
import { useCt, type CKey } from '../i18n/index.js';
import type { VersionSummary } from '../types.js';
import { Table } from '../../components/Table.js';

interface Props {
  versions: VersionSummary[] | null;
  currentVersion: number | null;
  busy: boolean;
  onRestore: (version: number) => void;
}

export function VersionHistory({ versions, currentVersion, busy, onRestore }: Props) {
  const { ct, lang } = useCt();
  const me = useSession();
  const [asking, setAsking] = useState<number | null>(null);
  const dateTime = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  const author = (id: string | null) =>
    id === null
      ? ct('versions.unknownAuthor')
      : id === me.user.id
        ? ct('versions.you')
        : ct('versions.someone', { id: id.slice(0, 8) });
  const source = (s: string) => {
    const d = describeSource(s);
    return ct(`versions.source.${d.kind}` as CKey, { detail: d.detail });
  };
  return (
    <section className="sb-c-section" aria-labelledby="sb-c-versions-title">
      <h2 id="sb-c-versions-title">{ct('versions.title')}</h2>
      {versions === null && <p className="sb-c-loading">{ct('common.loading')}</p>}
      {versions && versions.length === 0 && <p>{ct('versions.empty')}</p>}
      {versions && versions.length > 0 && (
        <Table
          caption={ct('versions.title')}
          columns={[
            ct('versions.version'),
            ct('versions.date'),
            ct('versions.author'),
            ct('versions.reason'),
            ct('versions.segments'),
          ]}
          actionsLabel={ct('versions.actions')}
        >
          {[...versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <tr key={v.version} aria-current={v.version === currentVersion ? 'true' : undefined}>
                <th scope="row">
                  {v.version}
                  {v.version === currentVersion && <span className="sb-c-meta"> ({ct('versions.current')})</span>}
                </th>
                <td>
                  <time dateTime={v.createdAt}>{dateTime.format(new Date(v.createdAt))}</time>
                </td>
                <td>{author(v.authorId)}</td>
                <td>
                  {v.reason}
                  {source(v.source).toLocaleLowerCase() !== v.reason.toLocaleLowerCase() && (
                    <>
                      <br />
                      <span className="sb-c-meta">{source(v.source)}</span>
                    </>
                  )}
                </td>
                <td>{v.segmentCount}</td>
                <td>
                  {v.version !== currentVersion && (
                    <button
                      type="button"
                      className="sb-c-button"
                      disabled={busy}
                      onClick={() => setAsking(v.version)}
                      aria-label={ct('versions.restoreNamed', { version: v.version })}
                    >
                      {ct('versions.restore')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
        </Table>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={ct('versions.confirmTitle', { version: asking ?? 0 })}
        confirmLabel={ct('versions.confirm')}
        cancelLabel={ct('common.cancel')}
        onConfirm={() => {
          const v = asking;
          setAsking(null);
          if (v !== null) onRestore(v);
        }}
        onCancel={() => setAsking(null)}
      >
        <p>{ct('versions.confirmText', { version: asking ?? 0, current: currentVersion ?? 0 })}</p>
      </ConfirmDialog>
    </section>
  );
}
