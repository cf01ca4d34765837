import { Link } from 'react-router';

export interface Crumb {
  to: string;
  label: string;
}

/** Where a page sits: links up the trail, the current page last (aria-current), as an ordered list in a labelled nav. */
export function Breadcrumbs({ label, trail, current }: { label: string; trail: readonly Crumb[]; current: string }) {
  return (
    <nav aria-label={label} className="breadcrumbs">
      <ol>
        {trail.map((t) => (
          <li key={t.to}>
            <Link to={t.to}>{t.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
