interface PagedQuery {
  readonly isSuccess: boolean;
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  readonly isFetching: boolean;
  fetchNextPage(): Promise<unknown>;
  refetch(): Promise<unknown>;
}

/**
 * Under a keyset-paged table: how many rows are shown, "Load more" while the server has more, and
 * "Refresh". `noun` is the singular and plural of what the rows are.
 */
export function PagedFooter({
  query,
  count,
  noun,
}: {
  readonly query: PagedQuery;
  readonly count: number;
  readonly noun: readonly [string, string];
}) {
  return (
    <div className="table-footer">
      <p className="muted" role="status" aria-live="polite">
        {query.isSuccess
          ? `${count.toLocaleString()} ${count === 1 ? noun[0] : noun[1]} shown${query.hasNextPage ? ', more available' : ''}.`
          : ''}
      </p>
      {query.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
      <button
        type="button"
        className="button"
        onClick={() => void query.refetch()}
        disabled={query.isFetching}
      >
        Refresh
      </button>
    </div>
  );
}
