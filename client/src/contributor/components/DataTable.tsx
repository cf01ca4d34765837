import type { ReactNode } from 'react';

/**
 * The contributor area's table: scrollable wrapper, a caption for screen readers, one header row. `actionsLabel` adds
 * a last column whose header only screen readers hear (for the row buttons).
 */
export function DataTable({ caption, columns, actionsLabel, children }: {
  caption: string;
  columns: readonly string[];
  actionsLabel?: string;
  children: ReactNode;
}) {
  return (
    <div className="sb-c-table-wrap">
      <table className="sb-c-table">
        <caption className="sb-c-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">{column}</th>
            ))}
            {actionsLabel !== undefined && (
              <th scope="col">
                <span className="sb-c-visually-hidden">{actionsLabel}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
