import { useState } from 'react';
import { ORG_ROLE_LABELS } from '../api/types.ts';
import { PageHeader } from '../components/Layout.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { useActor } from '../session/session.ts';
import { InviteMemberForm } from './InviteMemberForm.tsx';
import { MembersTable } from './MembersTable.tsx';

/** My organization's members. */
export function MembersPage() {
  const actor = useActor();
  const [inviting, setInviting] = useState(false);
  const org = actor.organization;
  return (
    <>
      <PageHeader title="Members">
        {actor.isAdmin && !inviting ? (
          <button type="button" className="button button-primary" onClick={() => setInviting(true)}>
            Invite member
          </button>
        ) : null}
      </PageHeader>
      <p className="subhead">
        <strong>{org.name}</strong> · {ORG_ROLE_LABELS[org.role]}
        {org.jurisdiction === null ? null : (
          <>
            {' · '}
            <span className="mono">{org.jurisdiction}</span>
          </>
        )}
        {' · '}
        <StatusBadge status={org.status} />
      </p>
      {inviting ? <InviteMemberForm orgId={org.id} onClose={() => setInviting(false)} /> : null}
      <MembersTable orgId={org.id} selfId={actor.member.id} canManage={actor.isAdmin} />
    </>
  );
}
