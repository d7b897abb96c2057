import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.ts';
import {
  type List,
  type Member,
  ORG_KIND_LABELS,
  ORG_ROLE_LABELS,
  type Organization,
  type OrgStatus,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Field } from '../components/Field.tsx';
import { formatDate } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { JURISDICTION_HINT } from '../components/organization-draft.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { SESSION_KEY, useActor } from '../session/session.ts';
import { InviteMemberForm } from './InviteMemberForm.tsx';
import { MembersTable } from './MembersTable.tsx';
import { PendingRename } from './PendingRename.tsx';

/** One organization: its details and members (its own members and operator admins only). */
export function OrganizationPage() {
  const { id = '' } = useParams();
  const actor = useActor();
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [inviting, setInviting] = useState(false);
  const key = ['orgs', id];
  const org = useQuery({
    queryKey: key,
    queryFn: () => api.get<Organization>(`/api/v1/orgs/${encodeURIComponent(id)}`),
  });
  const update = useMutation({
    mutationFn: (patch: { status?: OrgStatus; name?: string; jurisdiction?: string | null }) =>
      api.patch<Organization>(`/api/v1/orgs/${encodeURIComponent(id)}`, patch),
    onSuccess: async (updated) => {
      setEditing(false);
      client.setQueryData(key, updated);
      await client.invalidateQueries({ queryKey: ['orgs'] });
      if (updated.id === actor.organization.id) await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });

  const own = id === actor.organization.id;
  const o = org.data;
  // The same query as the members table's: operator admins see whether the organization has an
  // active administrator, and invite one when it has none (its first, or after its last left).
  const members = useQuery({
    queryKey: ['members', id],
    queryFn: () => api.get<List<Member>>(`/api/v1/orgs/${encodeURIComponent(id)}/members`),
    enabled: actor.isOperatorAdmin && !own,
  });
  const adminless =
    actor.isOperatorAdmin &&
    !own &&
    members.data !== undefined &&
    !members.data.items.some((m) => m.status === 'active' && m.roles.includes('admin'));

  return (
    <>
      <p className="breadcrumb">
        <Link to="/organizations">← All organizations</Link>
      </p>
      <PageHeader title={o?.name ?? 'Organization'}>
        {o && adminless && !inviting ? (
          <button type="button" className="button button-primary" onClick={() => setInviting(true)}>
            Invite an administrator
          </button>
        ) : null}
        {o && own && actor.isAdmin && !editing ? (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit details
          </button>
        ) : null}
        {o && actor.isOperatorAdmin && !o.isOperator && o.status !== 'vetted' ? (
          <button type="button" className="button" onClick={() => update.mutate({ status: 'vetted' })}>
            {o.status === 'pending' ? 'Vet' : 'Reinstate'}
          </button>
        ) : null}
        {o && actor.isOperatorAdmin && !o.isOperator && o.status !== 'suspended' ? (
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              if (window.confirm(`Suspend ${o.name}? Its members lose access.`))
                update.mutate({ status: 'suspended' });
            }}
          >
            Suspend
          </button>
        ) : null}
      </PageHeader>
      <ErrorNotice error={org.error} />
      <ErrorNotice error={update.error} />
      {o ? (
        <>
          <PendingRename
            org={o}
            canDecide={actor.isOperatorAdmin}
            onDecided={(updated) => client.setQueryData(key, updated)}
          />
          {editing ? (
            <EditOrganization
              org={o}
              renameNeedsApproval={!actor.isOperatorAdmin && o.status === 'vetted'}
              busy={update.isPending}
              onCancel={() => setEditing(false)}
              onSave={update.mutate}
            />
          ) : null}
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={o.status} />
              </dd>
            </div>
            <div>
              <dt>Kind</dt>
              <dd>{ORG_KIND_LABELS[o.kind]}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>{ORG_ROLE_LABELS[o.role]}</dd>
            </div>
            <div>
              <dt>Jurisdiction</dt>
              <dd className="mono">{o.jurisdiction ?? '—'}</dd>
            </div>
            <div>
              <dt>Joined</dt>
              <dd>{formatDate(o.createdAt)}</dd>
            </div>
          </dl>
          <h2>Members</h2>
          {adminless ? (
            <p className="notice">
              This organization has no active administrator, so nobody in it can invite its members. Invite
              its administrator: they take it from there.
            </p>
          ) : null}
          {inviting && adminless ? (
            <InviteMemberForm orgId={o.id} adminOnly onClose={() => setInviting(false)} />
          ) : null}
          {own || actor.isOperatorAdmin ? (
            <MembersTable
              orgId={o.id}
              selfId={actor.member.id}
              canManage={own && actor.isAdmin}
              canManageInvitations={(own && actor.isAdmin) || adminless}
            />
          ) : (
            <p className="muted">Only this organization's members and the operators see its members.</p>
          )}
        </>
      ) : null}
    </>
  );
}

function EditOrganization({
  org,
  renameNeedsApproval,
  busy,
  onCancel,
  onSave,
}: {
  readonly org: Organization;
  readonly renameNeedsApproval: boolean;
  readonly busy: boolean;
  readonly onCancel: () => void;
  readonly onSave: (patch: { name: string; jurisdiction: string | null }) => void;
}) {
  const [name, setName] = useState(org.name);
  const [jurisdiction, setJurisdiction] = useState(org.jurisdiction ?? '');
  function submit(e: FormEvent) {
    e.preventDefault();
    const j = jurisdiction.trim().toUpperCase();
    onSave({ name: name.trim(), jurisdiction: j === '' ? null : j });
  }
  return (
    <section className="panel" aria-labelledby="edit-org-title">
      <h2 id="edit-org-title">Edit organization details</h2>
      <form onSubmit={submit}>
        <div className="field-row">
          <Field
            label="Name"
            {...(renameNeedsApproval
              ? {
                  hint: 'A new name takes effect once the operator approves it, so nobody can pose as another member.',
                }
              : {})}
          >
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                required
                maxLength={200}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Jurisdiction" hint={`${JURISDICTION_HINT}; empty for none`}>
            {(id, hint) => (
              <input
                id={id}
                className="mono"
                aria-describedby={hint}
                autoCapitalize="characters"
                spellCheck={false}
                value={jurisdiction}
                onChange={(e) => setJurisdiction(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
