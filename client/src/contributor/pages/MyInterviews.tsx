// "Meine Interviews": the signed-in person's interviews (curators and admins see all, or only their own).
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { formatRecordedAt } from '../../format.js';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { useApi } from '../../useApi.js';
import { Problem } from '../../components/Problem.js';
import { StatusBadge } from '../components/Badges.js';
import { contributorPaths } from '../paths.js';
import { isStaff, useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import type { Interview, Paged } from '../types.js';
import { FixityAlert } from '../preservation/FixityAlert.js';
import { Table } from '../../components/Table.js';

const PAGE_SIZE = 50;

export function MyInterviews() {
  const { ct, lang } = useCt();
  const me = useSession();
  const staff = isStaff(me);
  const [onlyMine, setOnlyMine] = useState(!staff);
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<Interview[]>([]);
  const onlyMineId = useId();
  const heading = onlyMine ? ct('list.titleMine') : ct('list.titleAll');
  useDocumentTitle(heading);

  const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE), sort: '-updatedAt' });
  if (onlyMine) query.set('mine', 'true');
  // "more" appends the next page to what is shown; a new filter starts again at page 1
  const list = useApi<Paged<Interview>>(`/api/interviews?${query}`, {
    keepPrevious: true,
    onData: (data) => setItems((prev) => (page === 1 ? data.items : [...prev, ...data.items])),
  });
  const { loading, problem } = list;
  const total = list.data?.total ?? null;

  const dateTime = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  return (
    <section aria-labelledby="sb-c-list-title">
      <FixityAlert />
      <div className="sb-c-page-head">
        <h1 id="sb-c-list-title">{heading}</h1>
        <div className="sb-c-actions">
          <Link to={contributorPaths.collections} className="sb-c-button">
            {ct('collections.link')}
          </Link>
          {me.user.role === 'admin' && (
            <Link to={contributorPaths.auditLog} className="sb-c-button">
              {ct('audit.pageTitle')}
            </Link>
          )}
          <Link to={contributorPaths.newInterview} className="sb-c-button sb-c-primary">
            {ct('list.new')}
          </Link>
        </div>
      </div>
      {staff && (
        <p className="sb-c-checkbox">
          <input
            id={onlyMineId}
            type="checkbox"
            checked={onlyMine}
            onChange={(e) => {
              setOnlyMine(e.target.checked);
              setPage(1);
            }}
          />
          <label htmlFor={onlyMineId}>{ct('list.onlyMine')}</label>
        </p>
      )}
      {problem && <Problem signIn problem={problem} />}
      {total !== null && (
        <p className="sb-c-meta" role="status">
          {ct('list.count', { count: total })}
        </p>
      )}
      {total === 0 && !loading && <p>{ct('list.empty')}</p>}
      {items.length > 0 && (
        <Table
          caption={heading}
          columns={[
            ct('list.columns.title'),
            ct('list.columns.status'),
            ct('list.columns.visibility'),
            ct('list.columns.recordedAt'),
            ct('list.columns.updatedAt'),
          ]}
        >
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link to={contributorPaths.interview(i.id)}>{i.title}</Link>
                <span className="visually-hidden"> – {ct('list.edit')}</span>
              </th>
              <td>
                <StatusBadge status={i.status} />
              </td>
              <td>{ct(`visibility.${i.visibility}.label`)}</td>
              <td>{i.recordedAt ? formatRecordedAt(i.recordedAt, lang) : '–'}</td>
              <td>
                <time dateTime={i.updatedAt}>{dateTime.format(new Date(i.updatedAt))}</time>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {loading && (
        <p className="sb-c-loading" role="status">
          {ct('common.loading')}
        </p>
      )}
      {!loading && total !== null && items.length < total && (
        <button type="button" className="sb-c-button" onClick={() => setPage((p) => p + 1)}>
          {ct('list.more')}
        </button>
      )}
    </section>
  );
}
