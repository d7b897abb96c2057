import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import {
  COMMON_TYPES,
  DISTRIBUTION_LABELS,
  type IntelFilters,
  type IntelPage as IntelPageAnswer,
  intelPath,
  intelQuery,
  NO_INTEL_FILTERS,
  objectLabel,
  TLP_LABELS,
  TLPS,
} from '../api/intel.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { PagedFooter } from '../components/PagedFooter.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { TlpBadge } from '../components/TlpBadge.tsx';
import { useActor } from '../session/session.ts';
import { ExportPanel } from './ExportPanel.tsx';
import { INTEL_KEY, orgNames, useGroups, useOrgDirectory } from './sharing-data.ts';

const PAGE_SIZE = 50;

function filtersFrom(params: URLSearchParams): IntelFilters {
  return {
    type: params.get('type') ?? '',
    tlp: params.get('tlp') ?? '',
    org: params.get('org') ?? '',
    addedAfter: params.get('after') ?? '',
    q: params.get('q') ?? '',
  };
}

function paramsFrom(filters: IntelFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (filters.type.trim() !== '') p.set('type', filters.type.trim());
  if (filters.tlp !== '') p.set('tlp', filters.tlp);
  if (filters.org !== '') p.set('org', filters.org);
  if (filters.addedAfter !== '') p.set('after', filters.addedAfter);
  if (filters.q.trim() !== '') p.set('q', filters.q.trim());
  return p;
}

/** Intelligence: browse and search what the actor may see, newest first; export the same filter. */
export function IntelPage() {
  const actor = useActor();
  const [params, setParams] = useSearchParams();
  // The applied filters live in the address, so a filtered view can be bookmarked and shared.
  const applied = useMemo(() => filtersFrom(params), [params]);
  const [draft, setDraft] = useState<IntelFilters>(applied);
  // Back/forward and the nav link change the address: the form follows.
  useEffect(() => setDraft(applied), [applied]);
  const location = useLocation();
  const deleted =
    typeof location.state === 'object' && location.state !== null && 'deleted' in location.state
      ? String(location.state.deleted)
      : null;
  const orgs = useOrgDirectory();
  const groups = useGroups();
  const names = orgNames(orgs.data?.items);
  const groupNames = new Map((groups.data?.items ?? []).map((g) => [g.id, g.name]));

  const intel = useInfiniteQuery({
    queryKey: [...INTEL_KEY, 'list', applied],
    queryFn: ({ pageParam }) => {
      const q = intelQuery(applied);
      q.set('limit', String(PAGE_SIZE));
      if (pageParam !== null) q.set('cursor', pageParam);
      return api.get<IntelPageAnswer>(`/api/v1/intel?${q.toString()}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });

  function search(e: FormEvent) {
    e.preventDefault();
    setParams(paramsFrom(draft));
  }

  function clear() {
    setDraft(NO_INTEL_FILTERS);
    setParams(new URLSearchParams());
  }

  const items = intel.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(applied).some((v) => v.trim() !== '');

  return (
    <>
      <PageHeader title="Intelligence">
        <Link to="/intel/new" className="button button-primary">
          Share intelligence
        </Link>
      </PageHeader>
      <p className="subhead">
        STIX 2.1 objects shared with <strong>{actor.organization.name}</strong>, and those it shared, as TLP
        and each owner's distribution allow. Newest first.
      </p>
      {deleted === null ? null : (
        <div className="notice notice-success" role="status">
          Deleted <span className="mono">{deleted}</span>.
        </div>
      )}
      <FilterForm
        draft={draft}
        onChange={setDraft}
        onSubmit={search}
        onClear={clear}
        busy={intel.isFetching}
        orgs={orgs.data?.items ?? []}
      />
      <ErrorNotice error={intel.error} />
      <div className="table-wrap">
        <table className="table table-intel">
          <caption className="sr-only">
            Intelligence objects, newest first{filtered ? ' (filtered)' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Name / value</th>
              <th scope="col">TLP</th>
              <th scope="col">Owner</th>
              <th scope="col">Distribution</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            <TableStatusRows
              columns={6}
              query={intel}
              count={items.length}
              empty={filtered ? 'No objects match these filters.' : 'Nothing has been shared with you yet.'}
            />
            {items.map((v) => (
              <tr key={v.stixId} data-testid="intel-row">
                <td className="cell-nowrap">
                  <span className="tag">{v.type}</span>
                </td>
                <th scope="row" className="cell-object">
                  <Link to={intelPath(v.stixId)}>{objectLabel(v)}</Link>
                  {v.revoked ? <span className="tag tag-revoked">revoked</span> : null}
                </th>
                <td className="cell-nowrap">
                  <TlpBadge tlp={v.tlp} />
                </td>
                <td className="cell-owner">
                  {v.ownerOrgName}
                  {v.ownerOrgId === actor.organization.id ? (
                    <span className="tag tag-muted tag-after">Yours</span>
                  ) : null}
                </td>
                <td className="cell-distribution">
                  {DISTRIBUTION_LABELS[v.distribution] ?? v.distribution}
                  {v.distribution === 'group' && v.groupId !== null && groupNames.has(v.groupId) ? (
                    <span className="muted"> · {groupNames.get(v.groupId)}</span>
                  ) : null}
                </td>
                <td className="cell-nowrap">
                  <time dateTime={v.dateAdded}>{formatDateTime(v.dateAdded)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PagedFooter query={intel} count={items.length} noun={['object', 'objects']} />
      <ExportPanel filters={applied} orgName={applied.org === '' ? null : (names.get(applied.org) ?? null)} />
    </>
  );
}

function FilterForm({
  draft,
  onChange,
  onSubmit,
  onClear,
  busy,
  orgs,
}: {
  readonly draft: IntelFilters;
  readonly onChange: (f: IntelFilters) => void;
  readonly onSubmit: (e: FormEvent) => void;
  readonly onClear: () => void;
  readonly busy: boolean;
  readonly orgs: readonly { readonly id: string; readonly name: string }[];
}) {
  const id = useId();
  return (
    <search aria-label="Filter intelligence">
      <form className="filters panel" onSubmit={onSubmit}>
        <datalist id={`${id}-types`}>
          {COMMON_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <div className="field-row">
          <div className="field field-grow">
            <label htmlFor={`${id}-q`}>Search</label>
            <input
              id={`${id}-q`}
              type="search"
              value={draft.q}
              maxLength={200}
              onChange={(e) => onChange({ ...draft, q: e.target.value })}
              aria-describedby={`${id}-q-hint`}
              spellCheck={false}
            />
            <p id={`${id}-q-hint`} className="hint">
              Name, description, pattern or value.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-type`}>Type</label>
            <input
              id={`${id}-type`}
              className="mono"
              value={draft.type}
              maxLength={100}
              list={`${id}-types`}
              onChange={(e) => onChange({ ...draft, type: e.target.value })}
              autoComplete="off"
              spellCheck={false}
              placeholder="Any type"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tlp`}>TLP</label>
            <select
              id={`${id}-tlp`}
              value={draft.tlp}
              onChange={(e) => onChange({ ...draft, tlp: e.target.value })}
            >
              <option value="">Any</option>
              {TLPS.map((t) => (
                <option key={t} value={t}>
                  {TLP_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-org`}>Organization</label>
            <select
              id={`${id}-org`}
              value={draft.org}
              onChange={(e) => onChange({ ...draft, org: e.target.value })}
            >
              <option value="">Any</option>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-after`}>Added after</label>
            <input
              id={`${id}-after`}
              type="date"
              value={draft.addedAfter}
              onChange={(e) => onChange({ ...draft, addedAfter: e.target.value })}
            />
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Search
          </button>
          <button type="button" className="button" onClick={onClear}>
            Clear
          </button>
        </div>
      </form>
    </search>
  );
}
