import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.ts';
import type { SharingGroup } from '../api/intel.ts';
import type { Organization } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { type Actor, useActor } from '../session/session.ts';
import { GROUPS_KEY, orgNames, useGroups, useOrgDirectory } from './sharing-data.ts';

/** Admins and analysts of the owner organization manage a group (docs/sharing.md). */
function canManage(actor: Actor, g: SharingGroup): boolean {
  return (
    g.ownerOrgId === actor.organization.id && actor.member.roles.some((r) => r === 'admin' || r === 'analyst')
  );
}

/** Sharing groups: lists of organizations that intelligence can be shared with as one audience. */
export function GroupsPage() {
  const actor = useActor();
  const groups = useGroups();
  const orgs = useOrgDirectory();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mayCreate =
    actor.organization.status === 'vetted' &&
    actor.member.roles.some((r) => r === 'admin' || r === 'analyst');
  const names = orgNames(orgs.data?.items);
  const items = groups.data?.items ?? [];

  return (
    <>
      <PageHeader title="Sharing groups">
        {mayCreate && !creating ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setCreating(true);
              setNotice(null);
            }}
          >
            New group
          </button>
        ) : null}
      </PageHeader>
      <p className="subhead">
        A sharing group is a named list of organizations, managed by the organization that created it. Share
        to a group, or relay what you received to one, and its members see it as far as the TLP allows.
      </p>
      {creating ? (
        <GroupForm
          title="New sharing group"
          orgs={orgs.data?.items ?? []}
          ownOrgId={actor.organization.id}
          onCancel={() => setCreating(false)}
          onSaved={(g) => {
            setCreating(false);
            setNotice(`Group ${g.name} created.`);
          }}
        />
      ) : null}
      {notice === null ? null : (
        <div className="notice notice-success" role="status">
          {notice}
        </div>
      )}
      <ErrorNotice error={groups.error} />
      <ErrorNotice error={orgs.error} />
      {groups.isPending ? <p className="muted">Loading…</p> : null}
      {groups.isSuccess && items.length === 0 ? (
        <p className="empty-state" data-testid="no-groups">
          {actor.organization.name} is in no sharing group yet.
        </p>
      ) : null}
      <div className="group-list">
        {items.map((g) =>
          editing === g.id ? (
            <GroupForm
              key={g.id}
              title={`Edit ${g.name}`}
              group={g}
              orgs={orgs.data?.items ?? []}
              ownOrgId={actor.organization.id}
              onCancel={() => setEditing(null)}
              onSaved={(saved) => {
                setEditing(null);
                setNotice(`Group ${saved.name} saved.`);
              }}
            />
          ) : (
            <GroupCard
              key={g.id}
              group={g}
              names={names}
              manage={canManage(actor, g)}
              onEdit={() => {
                setEditing(g.id);
                setNotice(null);
              }}
              onDeleted={() => setNotice(`Group ${g.name} deleted.`)}
            />
          ),
        )}
      </div>
    </>
  );
}

function GroupCard({
  group: g,
  names,
  manage,
  onEdit,
  onDeleted,
}: {
  readonly group: SharingGroup;
  readonly names: ReadonlyMap<string, string>;
  readonly manage: boolean;
  readonly onEdit: () => void;
  readonly onDeleted: () => void;
}) {
  const client = useQueryClient();
  const actor = useActor();
  const del = useMutation({
    mutationFn: () => api.delete(`/api/v1/groups/${encodeURIComponent(g.id)}`),
    onSuccess: async () => {
      onDeleted();
      await client.invalidateQueries({ queryKey: GROUPS_KEY });
    },
  });
  const titleId = `group-${g.id}`;
  const members = [...g.orgIds].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b));
  return (
    <section className="panel group-card" aria-labelledby={titleId} data-testid="group-card">
      <div className="group-head">
        <h2 id={titleId}>{g.name}</h2>
        {manage ? (
          <div className="page-actions">
            <button
              type="button"
              className="button button-small"
              onClick={onEdit}
              aria-label={`Edit ${g.name}`}
            >
              Edit
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={del.isPending}
              aria-label={`Delete ${g.name}`}
              onClick={() => {
                if (
                  window.confirm(
                    `Delete the sharing group ${g.name}? Intelligence shared to it is no longer visible to its members.`,
                  )
                ) {
                  del.mutate();
                }
              }}
            >
              Delete
            </button>
          </div>
        ) : null}
      </div>
      <p className="hint">
        Managed by {names.get(g.ownerOrgId) ?? 'another organization'}
        {g.ownerOrgId === actor.organization.id ? ' (yours)' : ''} · created {formatDate(g.createdAt)} ·{' '}
        {g.orgIds.length} {g.orgIds.length === 1 ? 'organization' : 'organizations'}
      </p>
      <ul className="chip-list" aria-label={`Members of ${g.name}`}>
        {members.map((id) => (
          <li key={id} className="chip">
            {names.get(id) ?? <span className="mono">{id}</span>}
            {id === g.ownerOrgId ? <span className="muted"> · owner</span> : null}
          </li>
        ))}
      </ul>
      <ErrorNotice error={del.error} />
    </section>
  );
}

function GroupForm({
  title,
  group,
  orgs,
  ownOrgId,
  onCancel,
  onSaved,
}: {
  readonly title: string;
  readonly group?: SharingGroup;
  readonly orgs: readonly Organization[];
  readonly ownOrgId: string;
  readonly onCancel: () => void;
  readonly onSaved: (g: SharingGroup) => void;
}) {
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState(group?.name ?? '');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(
    new Set((group?.orgIds ?? []).filter((o) => o !== ownOrgId)),
  );
  const [filter, setFilter] = useState('');
  const save = useMutation({
    mutationFn: () => {
      // The owner organization is always a member; the server adds it.
      const body = { name: name.trim(), orgIds: [...chosen] };
      return group === undefined
        ? api.post<SharingGroup>('/api/v1/groups', body)
        : api.patch<SharingGroup>(`/api/v1/groups/${encodeURIComponent(group.id)}`, body);
    },
    onSuccess: async (g) => {
      await client.invalidateQueries({ queryKey: GROUPS_KEY });
      onSaved(g);
    },
  });
  const candidates = orgs.filter((o) => o.id !== ownOrgId && (o.status === 'vetted' || chosen.has(o.id)));
  const needle = filter.trim().toLowerCase();
  const shown = needle === '' ? candidates : candidates.filter((o) => o.name.toLowerCase().includes(needle));

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form onSubmit={submit}>
        <div className="field field-narrow">
          <label htmlFor={`${id}-name`}>Group name</label>
          <input
            id={`${id}-name`}
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <fieldset className="org-picker">
          <legend>
            Member organizations <span className="muted">({chosen.size} besides yours)</span>
          </legend>
          <div className="field field-narrow">
            <label htmlFor={`${id}-filter`}>Find an organization</label>
            <input
              id={`${id}-filter`}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <ul className="check-list">
            {shown.map((o) => (
              <li key={o.id} className="check">
                <input
                  type="checkbox"
                  id={`${id}-org-${o.id}`}
                  checked={chosen.has(o.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(o.id);
                    else next.delete(o.id);
                    setChosen(next);
                  }}
                />
                <label htmlFor={`${id}-org-${o.id}`}>{o.name}</label>
              </li>
            ))}
            {shown.length === 0 ? <li className="muted">No organization matches.</li> : null}
          </ul>
          <p className="hint fieldset-hint">Your organization is always a member of the groups it manages.</p>
        </fieldset>
        <ErrorNotice error={save.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : group === undefined ? 'Create group' : 'Save group'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
