import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import {
  type List,
  ORG_KIND_LABELS,
  ORG_ROLE_LABELS,
  type Organization,
  type OrgStatus,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { useActor } from '../session/session.ts';
import { CreateOrganizationForm } from './CreateOrganizationForm.tsx';

export const ORGS_KEY = ['orgs'] as const;

type Filter = 'all' | OrgStatus | 'rename';

/** The organization directory; operator admins vet, suspend and create organizations. */
export function OrganizationsPage() {
  const actor = useActor();
  const client = useQueryClient();
  const filterId = useId();
  const searchId = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Organization | null>(null);

  const orgs = useQuery({ queryKey: ORGS_KEY, queryFn: () => api.get<List<Organization>>('/api/v1/orgs') });

  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: OrgStatus }) =>
      api.patch<Organization>(`/api/v1/orgs/${encodeURIComponent(id)}`, { status }),
    onSuccess: () => client.invalidateQueries({ queryKey: ORGS_KEY }),
  });

  const items = orgs.data?.items ?? [];
  const pending = items.filter((o) => o.status === 'pending').length;
  const renames = items.filter((o) => o.pendingRename !== undefined).length;
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return items.filter(
      (o) =>
        (filter === 'all' || o.status === filter || (filter === 'rename' && o.pendingRename !== undefined)) &&
        (needle === '' ||
          o.name.toLowerCase().includes(needle) ||
          (o.jurisdiction ?? '').toLowerCase().includes(needle)),
    );
  }, [items, filter, search]);

  const canOpen = (o: Organization) => actor.isOperatorAdmin || o.id === actor.organization.id;

  return (
    <>
      <PageHeader title="Organizations">
        {actor.isOperatorAdmin && !creating ? (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New organization
          </button>
        ) : null}
      </PageHeader>
      {actor.isOperatorAdmin && pending > 0 ? (
        <div className="notice notice-warn">
          {pending === 1 ? '1 organization is' : `${pending} organizations are`} waiting to be vetted.{' '}
          <button type="button" className="link-button" onClick={() => setFilter('pending')}>
            Show pending
          </button>
        </div>
      ) : null}
      {actor.isOperatorAdmin && renames > 0 ? (
        <div className="notice notice-warn">
          {renames === 1 ? '1 organization asks' : `${renames} organizations ask`} to be renamed.{' '}
          <button type="button" className="link-button" onClick={() => setFilter('rename')}>
            Show rename requests
          </button>
        </div>
      ) : null}
      {creating ? (
        <CreateOrganizationForm
          onDone={(org) => {
            setCreating(false);
            setCreated(org);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? (
        <div className="notice notice-success" role="status">
          Organization <strong>{created.name}</strong> created.
        </div>
      ) : null}
      <div className="toolbar">
        <div className="toolbar-field">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name or jurisdiction"
          />
        </div>
        <div className="toolbar-field">
          <label htmlFor={filterId}>Status</label>
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">All</option>
            <option value="vetted">Vetted</option>
            <option value="pending">Pending</option>
            <option value="suspended">Suspended</option>
            <option value="rename">Rename requested</option>
          </select>
        </div>
        <p className="toolbar-count" aria-live="polite">
          {orgs.isSuccess ? `${shown.length} of ${items.length}` : ''}
        </p>
      </div>
      <ErrorNotice error={orgs.error} />
      <ErrorNotice error={setStatus.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Organizations in the partnership</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Role</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Status</th>
              <th scope="col">Joined</th>
              {actor.isOperatorAdmin ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            <TableStatusRows
              columns={7}
              query={orgs}
              count={shown.length}
              empty={'No organizations match.'}
            />
            {shown.map((o) => (
              <tr key={o.id} data-testid="org-row">
                <th scope="row" className="cell-name">
                  {canOpen(o) ? (
                    <Link to={`/organizations/${encodeURIComponent(o.id)}`}>{o.name}</Link>
                  ) : (
                    o.name
                  )}
                  {o.isOperator ? <span className="tag">Operator</span> : null}
                  {o.id === actor.organization.id ? <span className="tag tag-muted">Yours</span> : null}
                  {o.pendingRename ? (
                    <span className="tag" title="Rename waiting for the operator's approval">
                      Rename to “{o.pendingRename.name}” pending
                    </span>
                  ) : null}
                </th>
                <td>{ORG_KIND_LABELS[o.kind]}</td>
                <td className="cell-nowrap">{ORG_ROLE_LABELS[o.role]}</td>
                <td className="mono">{o.jurisdiction ?? '—'}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td className="cell-nowrap">{formatDate(o.createdAt)}</td>
                {actor.isOperatorAdmin ? (
                  <td className="cell-actions">
                    {o.isOperator ? null : (
                      <>
                        {o.status !== 'vetted' ? (
                          <button
                            type="button"
                            className="button button-small"
                            disabled={setStatus.isPending}
                            onClick={() => setStatus.mutate({ id: o.id, status: 'vetted' })}
                            aria-label={`${o.status === 'pending' ? 'Vet' : 'Reinstate'} ${o.name}`}
                          >
                            {o.status === 'pending' ? 'Vet' : 'Reinstate'}
                          </button>
                        ) : null}
                        {o.status !== 'suspended' ? (
                          <button
                            type="button"
                            className="button button-small button-danger"
                            disabled={setStatus.isPending}
                            onClick={() => {
                              if (window.confirm(`Suspend ${o.name}? Its members lose access.`)) {
                                setStatus.mutate({ id: o.id, status: 'suspended' });
                              }
                            }}
                            aria-label={`Suspend ${o.name}`}
                          >
                            Suspend
                          </button>
                        ) : null}
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
