import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InterviewSummary } from '../types.js';
import { formatEmbargo, formatRecordedAt } from '../format.js';

export function InterviewList({ items }: { items: InterviewSummary[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="card-list">
      {items.map((item) => {
        const narrators = (item.people ?? []).filter((p) => p.role === 'narrator').map((p) => p.name);
        const meta = [
          item.sealed
            ? t('interview.sealedUntil', { date: formatEmbargo(item.embargoUntil, i18n.language) })
            : undefined,
          narrators.join(', '),
          item.place?.name,
          item.recordedAt ? formatRecordedAt(item.recordedAt, i18n.language) : undefined,
        ].filter(Boolean);
        return (
          <li key={item.id} className="card">
            <h3>
              <Link to={`/interviews/${encodeURIComponent(item.id)}`}>{item.title}</Link>
            </h3>
            {meta.length > 0 && <p className="meta">{meta.join(' · ')}</p>}
            {item.summary && <p>{item.summary}</p>}
          </li>
        );
      })}
    </ul>
  );
}
