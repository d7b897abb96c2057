import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { LogInfo, LogWitness } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { SecretBox } from '../components/SecretBox.tsx';
import { AuditTrail } from './AuditTrail.tsx';

export const LOG_KEY = ['audit-log'] as const;

/**
 * Oversight: the transparency log every audit event is sequenced into (size, root, the signed
 * checkpoint, how to verify it), the witnesses cosigning it, and the searchable audit trail.
 */
export function OversightPage() {
  const log = useQuery({
    queryKey: LOG_KEY,
    queryFn: () => api.get<LogInfo>('/api/v1/audit/log'),
    refetchInterval: 30_000,
  });
  const info = log.data;
  return (
    <>
      <PageHeader title="Oversight">
        <button type="button" className="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {log.isFetching ? 'Refreshing…' : 'Refresh log'}
        </button>
      </PageHeader>
      <p className="subhead">
        Every audit event is committed to a public, append-only transparency log. Anyone with the log's key
        can check that the record has not been rewritten; witnesses run by oversight bodies cosign what they
        have checked.
      </p>
      <ErrorNotice error={log.error} />
      {log.isPending ? (
        <p className="muted" role="status">
          Loading the log…
        </p>
      ) : null}
      {info ? <LogSummary info={info} /> : null}
      {info ? <Witnesses witnesses={info.witnesses} size={info.size} /> : null}
      <AuditTrail />
    </>
  );
}

function LogSummary({ info }: { readonly info: LogInfo }) {
  const base = `${window.location.origin}/log`;
  return (
    <section className="panel" aria-labelledby="log-title">
      <h2 id="log-title">Transparency log</h2>
      <dl className="facts facts-inline">
        <div>
          <dt>Origin</dt>
          <dd className="mono">{info.origin}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd data-testid="log-size">
            {info.size.toLocaleString()} {info.size === 1 ? 'entry' : 'entries'}
          </dd>
        </div>
        <div className="facts-wide">
          <dt>Root hash</dt>
          <dd className="mono">{info.rootHash === '' ? '— (empty log)' : info.rootHash}</dd>
        </div>
      </dl>
      <SecretBox
        label="Verifier key"
        value={info.vkey}
        hint="The log's public key. Checkpoints, verification and receipts are checked against it."
      />
      <div className="grid-2">
        <div>
          <h3 id="checkpoint-title">Latest checkpoint</h3>
          <pre className="codeblock" data-testid="checkpoint">
            {info.checkpoint === '' ? 'No checkpoint has been signed yet.' : info.checkpoint}
          </pre>
          <p className="hint">
            Also published at <a href="/log/checkpoint">/log/checkpoint</a> and the key at{' '}
            <a href="/log/vkey">/log/vkey</a>.
          </p>
        </div>
        <div>
          <h3 id="verify-title">Verify the log yourself</h3>
          <p className="hint">
            Downloads the log's tiles and entries, recomputes the tree and checks the signed checkpoint:
          </p>
          <pre className="codeblock">{`npx tabella audit verify ${base} --vkey ${info.vkey}`}</pre>
          <p className="hint">
            Add <code>--state &lt;file&gt;</code> to check, on every later run, that the log only grew.
          </p>
        </div>
      </div>
    </section>
  );
}

function Witnesses({
  witnesses,
  size,
}: {
  readonly witnesses: readonly LogWitness[];
  readonly size: number;
}) {
  const base = window.location.origin;
  return (
    <section className="panel" aria-labelledby="witnesses-title">
      <h2 id="witnesses-title">Witnesses</h2>
      {witnesses.length === 0 ? (
        <div data-testid="no-witnesses">
          <p>
            <strong>No witness yet.</strong> A witness is run by an oversight body: it checks that each new
            checkpoint extends the last one it saw, cosigns it and hands the cosignature back, so the log
            cannot show different histories to different people. An admin or auditor of a vetted oversight
            organization sets one up with an API token:
          </p>
          <pre className="codeblock">
            {'npx tabella audit witness-key --name oversight.example.org/witness --out witness.key\n'}
            {`npx tabella audit witness ${base} --vkey <log key> \\\n  --key witness.key --token <API token> --state witness-state --interval 60`}
          </pre>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="sr-only">Witnesses of the transparency log</caption>
            <thead>
              <tr>
                <th scope="col">Witness</th>
                <th scope="col">Organization</th>
                <th scope="col">Cosigned</th>
                <th scope="col">When</th>
                <th scope="col">Key ID</th>
              </tr>
            </thead>
            <tbody>
              {witnesses.map((w) => (
                <tr key={w.keyId} data-testid="witness-row">
                  <th scope="row" className="cell-name">
                    {w.name}
                  </th>
                  <td className="cell-name">{w.orgName}</td>
                  <td>
                    {w.cosignedSize === null ? (
                      <span className="muted">Not yet</span>
                    ) : (
                      <>
                        Up to size {w.cosignedSize.toLocaleString()} of {size.toLocaleString()}
                        {w.cosignedSize < size ? null : (
                          <>
                            {' '}
                            <span className="tag tag-ok">current</span>
                          </>
                        )}
                      </>
                    )}
                  </td>
                  <td className="cell-nowrap">
                    {w.cosignedAt === null ? '—' : formatDateTime(w.cosignedAt)}
                  </td>
                  <td className="mono">{w.keyId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
