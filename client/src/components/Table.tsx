import type { ReactNode } from 'react';

/**
 * The client's table: scrollable wrapper, a caption (for screen readers only unless `showCaption`), one header row.
 * `actionsLabel` adds a last column whose header only screen readers hear (for the row buttons). Rows are children.
 */
export function Table({
  caption,
  showCaption = false,
  columns,
  actionsLabel,
  className,
  children,
}: {
  caption: string;
  showCaption?: boolean;
  columns: readonly (string | false | null | undefined)[];
  actionsLabel?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'}>
        <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns
              .filter((c): c is string => typeof c === 'string')
              .map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            {actionsLabel !== undefined && (
              <th scope="col">
                <span className="visually-hidden">{actionsLabel}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
