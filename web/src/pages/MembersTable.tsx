import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import {
  type Invited,
  type List,
  MEMBER_ROLE_LABELS,
  type Member,
  type MemberRole,
  type Tier,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDate } from '../components/format.ts';
import { RolePicker } from '../components/RolePicker.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { useActor } from '../session/session.ts';
import { InvitationLink } from './InviteMemberForm.tsx';
import { ResetMemberForm } from './ResetMemberForm.tsx';

interface Props {
  readonly orgId: string;
  /** The signed-in member's id: their own row is never editable. */
  readonly selfId: string;
  /** True for the organization's own admins. */
  readonly canManage: boolean;
  /**
   * Whether the actor re-sends and revokes invitations: the organization's own admins, and the
   * operator's admins while it has no active administrator. Defaults to `canManage`.
   */
  readonly canManageInvitations?: boolean;
}

type Patch = { roles?: MemberRole[]; tier?: Tier; status?: 'active' | 'suspended' };

/**
 * An organization's members; its admins change roles and tier, suspend and reactivate, and
 * re-send or revoke invitations.
 */
export function MembersTable({ orgId, selfId, canManage, canManageInvitations = canManage }: Props) {
  const client = useQueryClient();
  const actor = useActor();
  const [editing, setEditing] = useState<string | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  // Reset links (issue 11): an organization's admins for its members who are not admins, the
  // operator's admins for anyone; nobody for themselves or for an invitee who never joined.
  const canReset = (m: Member) =>
    m.id !== selfId &&
    m.status !== 'invited' &&
    (actor.isOperatorAdmin || (canManage && !m.roles.includes('admin')));
  const key = ['members', orgId];
  const members = useQuery({
    queryKey: key,
    queryFn: () => api.get<List<Member>>(`/api/v1/orgs/${encodeURIComponent(orgId)}/members`),
  });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Patch }) =>
      api.patch<Member>(`/api/v1/members/${encodeURIComponent(id)}`, patch),
    onSuccess: () => {
      setEditing(null);
      return client.invalidateQueries({ queryKey: key });
    },
  });

  const [resent, setResent] = useState<Invited | null>(null);
  const resend = useMutation({
    mutationFn: (id: string) => api.post<Invited>(`/api/v1/members/${encodeURIComponent(id)}/invitation`),
    onSuccess: (invited) => {
      setResent(invited);
      return client.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/members/${encodeURIComponent(id)}/invitation`),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });

  const items = members.data?.items ?? [];
  const showActions = canManage || canManageInvitations || actor.isOperatorAdmin;
  const columns = showActions ? 8 : 7;
  const busy = update.isPending || resend.isPending || revoke.isPending;

  return (
    <>
      <ErrorNotice error={members.error} />
      <ErrorNotice error={update.error} />
      <ErrorNotice error={resend.error} />
      <ErrorNotice error={revoke.error} />
      {resent ? (
        <InvitationLink title="Invitation re-sent" invited={resent} onClose={() => setResent(null)} />
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Roles</th>
              <th scope="col">Tier</th>
              <th scope="col">Status</th>
              <th scope="col">MFA</th>
              <th scope="col">Since</th>
              {showActions ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            <TableStatusRows
              columns={columns}
              query={members}
              count={items.length}
              empty={'No members yet.'}
            />
            {items.map((m) => {
              const self = m.id === selfId;
              return (
                <MemberRow
                  key={m.id}
                  member={m}
                  self={self}
                  canManage={canManage && !self}
                  canManageInvitations={canManageInvitations && !self}
                  canReset={canReset(m)}
                  showActions={showActions}
                  editing={editing === m.id}
                  resetting={resetting === m.id}
                  busy={busy}
                  onEdit={() => {
                    update.reset();
                    setResetting(null);
                    setEditing(m.id);
                  }}
                  onReset={() => {
                    setEditing(null);
                    setResetting(m.id);
                  }}
                  onCancel={() => {
                    setEditing(null);
                    setResetting(null);
                  }}
                  onPatch={(patch) => update.mutate({ id: m.id, patch })}
                  onResend={() => {
                    revoke.reset();
                    resend.mutate(m.id);
                  }}
                  onRevoke={() => {
                    resend.reset();
                    setResent(null);
                    revoke.mutate(m.id);
                  }}
                  columns={columns}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface RowProps {
  readonly member: Member;
  readonly self: boolean;
  readonly canManage: boolean;
  readonly canManageInvitations: boolean;
  readonly canReset: boolean;
  readonly showActions: boolean;
  readonly editing: boolean;
  readonly resetting: boolean;
  readonly busy: boolean;
  readonly columns: number;
  readonly onEdit: () => void;
  readonly onReset: () => void;
  readonly onCancel: () => void;
  readonly onPatch: (patch: Patch) => void;
  readonly onResend: () => void;
  readonly onRevoke: () => void;
}

function MemberRow({
  member: m,
  self,
  canManage,
  canManageInvitations,
  canReset,
  showActions,
  editing,
  resetting,
  busy,
  columns,
  onEdit,
  onReset,
  onCancel,
  onPatch,
  onResend,
  onRevoke,
}: RowProps) {
  const invitation = m.status === 'invited' ? m.invitation : undefined;
  return (
    <>
      <tr data-testid="member-row" className={editing ? 'row-editing' : undefined}>
        <th scope="row" className="cell-name">
          {m.displayName}
          {self ? <span className="tag tag-muted">You</span> : null}
        </th>
        <td className="cell-email">{m.email}</td>
        <td className="cell-roles">
          {m.roles.map((r) => (
            <span key={r} className={r === 'admin' ? 'tag tag-admin' : 'tag'}>
              {MEMBER_ROLE_LABELS[r]}
            </span>
          ))}
        </td>
        <td>{m.tier}</td>
        <td>
          <StatusBadge status={m.status} />
          {invitation ? (
            <span className="muted cell-nowrap">
              {' '}
              {invitation.expired
                ? 'invitation expired'
                : `invitation valid until ${formatDate(invitation.expiresAt)}`}
            </span>
          ) : null}
        </td>
        <td>{m.mfaEnabled ? 'On' : 'Off'}</td>
        <td className="cell-nowrap">{formatDate(m.createdAt)}</td>
        {showActions ? (
          <td className="cell-actions">
            {canManage && !editing ? (
              <>
                <button
                  type="button"
                  className="button button-small"
                  onClick={onEdit}
                  aria-label={`Edit roles and tier of ${m.displayName}`}
                >
                  Edit
                </button>
                {m.status === 'suspended' ? (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() => onPatch({ status: 'active' })}
                    aria-label={`Reactivate ${m.displayName}`}
                  >
                    Reactivate
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button-small button-danger"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`Suspend ${m.displayName}? They are signed out and lose access.`)) {
                        onPatch({ status: 'suspended' });
                      }
                    }}
                    aria-label={`Suspend ${m.displayName}`}
                  >
                    Suspend
                  </button>
                )}
              </>
            ) : null}
            {canManageInvitations && invitation && !editing ? (
              <>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={onResend}
                  aria-label={`Resend the invitation of ${m.displayName}`}
                >
                  Resend invitation
                </button>
                <button
                  type="button"
                  className="button button-small button-danger"
                  disabled={busy}
                  onClick={() => {
                    if (
                      window.confirm(
                        `Revoke the invitation of ${m.displayName}? Their link stops working and they are removed from the list.`,
                      )
                    )
                      onRevoke();
                  }}
                  aria-label={`Revoke the invitation of ${m.displayName}`}
                >
                  Revoke invitation
                </button>
              </>
            ) : null}
            {canReset && !editing && !resetting ? (
              <button
                type="button"
                className="button button-small"
                onClick={onReset}
                aria-label={`Reset password or MFA of ${m.displayName}`}
              >
                Reset…
              </button>
            ) : null}
            {self ? <span className="muted">Ask another admin</span> : null}
          </td>
        ) : null}
      </tr>
      {editing ? (
        <tr className="row-editor">
          <td colSpan={columns}>
            <MemberEditor member={m} busy={busy} onCancel={onCancel} onSave={onPatch} />
          </td>
        </tr>
      ) : null}
      {resetting ? (
        <tr className="row-editor">
          <td colSpan={columns}>
            <ResetMemberForm member={m} onClose={onCancel} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function MemberEditor({
  member,
  busy,
  onCancel,
  onSave,
}: {
  readonly member: Member;
  readonly busy: boolean;
  readonly onCancel: () => void;
  readonly onSave: (patch: Patch) => void;
}) {
  const [roles, setRoles] = useState<MemberRole[]>([...member.roles]);
  const [tier, setTier] = useState<Tier>(member.tier);
  const tierId = `tier-${member.id}`;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (roles.length > 0) onSave({ roles, tier });
  }
  return (
    <form className="inline-editor" onSubmit={submit} aria-label={`Edit ${member.displayName}`}>
      <RolePicker legend={`Roles of ${member.displayName}`} value={roles} onChange={setRoles} />
      <div className="field field-compact">
        <label htmlFor={tierId}>Access tier</label>
        <select id={tierId} value={tier} onChange={(e) => setTier(e.target.value === '2' ? 2 : 1)}>
          <option value="1">Tier 1</option>
          <option value="2">Tier 2</option>
        </select>
      </div>
      {roles.length === 0 ? (
        <p className="notice notice-error" role="alert">
          Choose at least one role.
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={busy || roles.length === 0}
        >
          Save
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
