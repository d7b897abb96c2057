import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import {
  type CreatedToken,
  type List,
  TOKEN_SCOPE_LABELS,
  type Token,
  type TokenScope,
} from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { ScopePicker } from '../components/ScopePicker.tsx';
import { SecretBox } from '../components/SecretBox.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { useActor } from '../session/session.ts';

const TOKENS_KEY = ['tokens'] as const;
const DAY_MS = 86_400_000;
const EXPIRIES = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
] as const;
type Expiry = (typeof EXPIRIES)[number]['value'];

function isExpired(t: Token): boolean {
  return t.expiresAt !== null && Date.parse(t.expiresAt) <= Date.now();
}

/** My API tokens for scripts, sensors and TAXII clients: created (shown once), revoked. */
export function TokensPage() {
  const actor = useActor();
  const client = useQueryClient();
  const nameId = useId();
  const expiryId = useId();
  // `/tokens?for=device` (linked from the export panel): a feeds token, the only kind a URL may carry.
  const [params] = useSearchParams();
  const forDevice = params.get('for') === 'device';
  const [name, setName] = useState(forDevice ? 'Device feed' : '');
  const [scopes, setScopes] = useState<TokenScope[]>(forDevice ? ['feeds'] : ['read']);
  const [expiry, setExpiry] = useState<Expiry>('90');
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => api.get<List<Token>>('/api/v1/tokens') });

  const create = useMutation({
    mutationFn: () =>
      api.post<CreatedToken>('/api/v1/tokens', {
        name: name.trim(),
        scopes,
        ...(expiry === 'never'
          ? {}
          : { expiresAt: new Date(Date.now() + Number(expiry) * DAY_MS).toISOString() }),
      }),
    onSuccess: () => {
      setName('');
      return client.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_KEY }),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  const items = tokens.data?.items ?? [];

  return (
    <>
      <PageHeader title="API tokens" />
      <p className="subhead">
        Tokens let scripts, sensors, SIEMs and TAXII clients act as you. Send one as{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>, or to TAXII clients as HTTP Basic with your e-mail (
        <span className="mono">{actor.member.email}</span>) and the token as password.
      </p>
      <section className="panel" aria-labelledby="new-token-title">
        <h2 id="new-token-title">Create a token</h2>
        <form className="inline-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={nameId}>Token name</label>
            <input
              id={nameId}
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-describedby={`${nameId}-hint`}
            />
            <p id={`${nameId}-hint`} className="hint">
              Say where it is used, e.g. "Suricata sensor, Wake County".
            </p>
          </div>
          <ScopePicker value={scopes} onChange={setScopes} />
          <p className="hint">
            For a firewall, DNS filter or other device that polls an export URL, choose <strong>Feeds</strong>{' '}
            only: a token in a URL ends up in logs, and only a feeds token is accepted there.
          </p>
          <div className="field">
            <label htmlFor={expiryId}>Expires</label>
            <select id={expiryId} value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
              {EXPIRIES.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending || scopes.length === 0}
          >
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </form>
        <ErrorNotice error={create.error} />
        {create.data ? (
          <div className="created">
            <p>
              Token <strong>{create.data.name}</strong> created.
            </p>
            <SecretBox
              label="New token"
              value={create.data.token}
              hint="Copy it now: it is shown only once and Tabella keeps only a digest of it."
            />
            <button type="button" className="button button-small" onClick={() => create.reset()}>
              I have copied it
            </button>
          </div>
        ) : null}
      </section>
      <ErrorNotice error={tokens.error} />
      <ErrorNotice error={revoke.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Your API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            <TableStatusRows columns={8} query={tokens} count={items.length} empty={'You have no tokens.'} />
            {items.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <th scope="row" className="cell-name">
                  {t.name}
                </th>
                <td className="mono">{t.prefix}…</td>
                <td>{t.scopes.map((x) => TOKEN_SCOPE_LABELS[x].label).join(', ')}</td>
                <td className="cell-nowrap">{formatDateTime(t.createdAt)}</td>
                <td className="cell-nowrap">
                  {t.expiresAt === null ? 'Never' : formatDateTime(t.expiresAt)}
                </td>
                <td className="cell-nowrap">
                  {t.lastUsedAt === null ? 'Never' : formatDateTime(t.lastUsedAt)}
                </td>
                <td>
                  {t.revokedAt === null ? (
                    <StatusBadge status={isExpired(t) ? 'expired' : 'active'} />
                  ) : (
                    <span title={`Revoked ${formatDateTime(t.revokedAt)}`}>
                      <StatusBadge status="revoked" />
                    </span>
                  )}
                </td>
                <td className="cell-actions">
                  {t.revokedAt === null ? (
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(`Revoke ${t.name}? Anything using it stops working at once.`)) {
                          revoke.mutate(t.id);
                        }
                      }}
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </button>
                  ) : (
                    <span className="muted">{formatDateTime(t.revokedAt)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
