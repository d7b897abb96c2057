import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Invited, MemberRole, Tier } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Field } from '../components/Field.tsx';
import { RolePicker } from '../components/RolePicker.tsx';
import { SecretBox } from '../components/SecretBox.tsx';

interface Props {
  readonly orgId: string;
  readonly onClose: () => void;
  /**
   * The operator's admins inviting an administrator into an organization that has no active one:
   * the role is fixed to admin.
   */
  readonly adminOnly?: boolean;
}

/** Invites a member; the invitation link is shown once, to be passed on out of band. */
export function InviteMemberForm({ orgId, onClose, adminOnly = false }: Props) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<MemberRole[]>(adminOnly ? ['admin'] : ['analyst']);
  const [tier, setTier] = useState<Tier>(1);
  const [noRole, setNoRole] = useState(false);

  const invite = useMutation({
    mutationFn: () =>
      api.post<Invited>(`/api/v1/orgs/${encodeURIComponent(orgId)}/members`, {
        email: email.trim(),
        displayName: displayName.trim(),
        roles,
        tier,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['members', orgId] }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (roles.length === 0) {
      setNoRole(true);
      return;
    }
    setNoRole(false);
    invite.mutate();
  }

  if (invite.data) {
    return <InvitationLink title="Invitation created" invited={invite.data} onClose={onClose} />;
  }

  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">{adminOnly ? 'Invite an administrator' : 'Invite a member'}</h2>
      {adminOnly ? (
        <p>
          This organization has no active administrator. Invite one: they join as its administrator, set up
          MFA, and invite the rest of its members themselves.
        </p>
      ) : null}
      <form onSubmit={submit}>
        <div className="field-row">
          <Field label="Display name">
            {(id) => (
              <input
                id={id}
                required
                maxLength={200}
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            )}
          </Field>
          <Field label="E-mail address">
            {(id) => (
              <input id={id} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            )}
          </Field>
          <Field
            label="Access tier"
            hint="Tier 2 also reads the TLP:AMBER+STRICT and TLP:RED that other organizations send yours by name; tier 1 reads up to TLP:AMBER."
          >
            {(id, hint) => (
              <select
                id={id}
                aria-describedby={hint}
                value={tier}
                onChange={(e) => setTier(e.target.value === '2' ? 2 : 1)}
              >
                <option value="1">Tier 1</option>
                <option value="2">Tier 2</option>
              </select>
            )}
          </Field>
        </div>
        {adminOnly ? null : <RolePicker legend="Roles" value={roles} onChange={setRoles} />}
        {noRole ? (
          <div className="notice notice-error" role="alert">
            Choose at least one role.
          </div>
        ) : null}
        <ErrorNotice error={invite.error} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Create invitation'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** A new invitation link, shown once, with what to do if it is lost. */
export function InvitationLink({
  title,
  invited,
  onClose,
}: {
  readonly title: string;
  readonly invited: Invited;
  readonly onClose: () => void;
}) {
  const { member, invitationUrl } = invited;
  return (
    <section className="panel" aria-labelledby="invitation-link-title">
      <h2 id="invitation-link-title">{title}</h2>
      <p>
        Send this link to <strong>{member.displayName}</strong> ({member.email}) through a channel you trust.
        It is valid for 7 days and works once.
      </p>
      <SecretBox
        label="Invitation link"
        value={invitationUrl}
        hint="This link is shown only now. If it is lost or expires, choose “Resend invitation” in the members list: a new link replaces this one."
      />
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </section>
  );
}
