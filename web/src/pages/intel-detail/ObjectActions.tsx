import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { apiIntelPath, type IntelVersion, TLP_LABELS } from '../../api/intel.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { INTEL_KEY, useGroups } from '../sharing-data.ts';

// What one can do with an object on its page: delete one's own, relay someone else's.

export function DeleteButton({ v }: { readonly v: IntelVersion }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const del = useMutation({
    mutationFn: () => api.delete(apiIntelPath(v.stixId)),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: INTEL_KEY });
      navigate('/intel', { replace: true, state: { deleted: v.stixId } });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        disabled={del.isPending}
        onClick={() => {
          if (
            window.confirm(
              'Delete this object (every version) for everyone it was shared with? The audit record is kept.',
            )
          ) {
            del.mutate();
          }
        }}
      >
        {del.isPending ? 'Deleting…' : 'Delete'}
      </button>
      {del.error ? (
        <div className="page-actions-error">
          <ErrorNotice error={del.error} />
        </div>
      ) : null}
    </>
  );
}

/**
 * Recipients may relay into one of their sharing groups — never RED or AMBER+STRICT. The group the
 * object is already shared to is not offered (relaying there would change nothing), nor a group it
 * was relayed to on this page. Relays made earlier are not in the object's view (the API does not
 * say who relayed what where, and this panel does not ask for more); relaying again is harmless.
 */
export function RelayForm({ v }: { readonly v: IntelVersion }) {
  const groups = useGroups();
  const id = useId();
  const [groupId, setGroupId] = useState('');
  const [relayedHere, setRelayedHere] = useState<readonly string[]>([]);
  const relay = useMutation({
    mutationFn: (target: string) =>
      api.post<void>(`${apiIntelPath(v.stixId)}/relay`, { distribution: { kind: 'group', groupId: target } }),
    onSuccess: (_, target) => {
      setRelayedHere((done) => [...done, target]);
      setGroupId('');
    },
  });
  const relayable = (v.tlp === 'clear' || v.tlp === 'green' || v.tlp === 'amber') && v.distribution !== 'org';
  if (!relayable) {
    return (
      <p className="hint relay-note" data-testid="relay-not-allowed">
        {v.tlp === 'red' || v.tlp === 'amber+strict'
          ? `${TLP_LABELS[v.tlp]} stays with its recipients: it cannot be relayed.`
          : 'This object cannot be relayed.'}
      </p>
    );
  }
  const mine = groups.data?.items ?? [];
  const items = mine.filter((g) => g.id !== v.groupId && !relayedHere.includes(g.id));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (groupId !== '') relay.mutate(groupId);
  }
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Relay to a sharing group</h2>
      {groups.isSuccess && mine.length === 0 ? (
        <p className="hint">
          Your organization is in no sharing group. <Link to="/groups">Create one</Link> to relay intelligence
          to it.
        </p>
      ) : groups.isSuccess && items.length === 0 ? (
        <p className="hint" data-testid="relay-no-other-group">
          Your organization is in no other sharing group to relay this object to.{' '}
          <Link to="/groups">Create one</Link> to relay it further.
        </p>
      ) : (
        <form className="inline-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-group`}>Sharing group</label>
            <select
              id={`${id}-group`}
              required
              value={groupId}
              onChange={(e) => {
                setGroupId(e.target.value);
                relay.reset();
              }}
              aria-describedby={`${id}-hint`}
            >
              <option value="">Choose a group…</option>
              {items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
            <p id={`${id}-hint`} className="hint">
              A relay only narrows: the group sees it only where {TLP_LABELS[v.tlp]} and the owner's
              distribution already allow.
            </p>
          </div>
          <button type="submit" className="button" disabled={relay.isPending || groupId === ''}>
            {relay.isPending ? 'Relaying…' : 'Relay'}
          </button>
        </form>
      )}
      <ErrorNotice
        error={relay.error}
        messages={{
          FORBIDDEN: 'This object may not be relayed to that group (its TLP or distribution forbids it).',
        }}
      />
      {relay.isSuccess ? (
        <div className="notice notice-success" role="status">
          Relayed to {mine.find((g) => g.id === relay.variables)?.name ?? 'the group'}.
        </div>
      ) : null}
    </section>
  );
}
