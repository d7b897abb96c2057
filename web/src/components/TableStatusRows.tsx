import type { ReactNode } from 'react';

/**
 * The rows a data table shows instead of data: "Loading…" while its query is pending, and the
 * `empty` message once it has succeeded with nothing to show.
 */
export function TableStatusRows({
  columns,
  query,
  count,
  empty,
}: {
  readonly columns: number;
  readonly query: { readonly isPending: boolean; readonly isSuccess: boolean };
  readonly count: number;
  readonly empty?: ReactNode;
}) {
  const text = query.isPending ? 'Loading…' : query.isSuccess && count === 0 ? empty : null;
  if (text === null || text === undefined) return null;
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {text}
      </td>
    </tr>
  );
}
