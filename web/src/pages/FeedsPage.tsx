import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import type { CollectionSummary, TaxiiConnection } from '../api/taxii.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PageHeader } from '../components/Layout.tsx';
import { useActor } from '../session/session.ts';

export const TAXII_KEY = ['taxii'] as const;

function access(c: CollectionSummary): string {
  if (c.canRead && c.canWrite) return 'Read and write';
  return c.canRead ? 'Read' : c.canWrite ? 'Write' : 'None';
}

function objectCount(c: CollectionSummary): string {
  return `${c.objects.toLocaleString('en')}${c.objectsCapped ? '+' : ''}`;
}

/**
 * TAXII feeds: where a member points a TAXII 2.1 client (OpenCTI, MISP's taxii2 module, a SIEM, or
 * the OASIS taxii2-client) and which collections it will find — the same list, with the same
 * visibility, that `/taxii2/api/collections/` answers that member.
 */
export function FeedsPage() {
  const actor = useActor();
  const taxii = useQuery({ queryKey: TAXII_KEY, queryFn: () => api.get<TaxiiConnection>('/api/v1/taxii') });
  const data = taxii.data;
  const community = data?.collections.find((c) => c.title === 'Community') ?? data?.collections[0];
  return (
    <>
      <PageHeader title="TAXII feeds" />
      <p className="subhead">
        Connect threat-intelligence tools to Tabella with TAXII 2.1. A tool signs in as you: HTTP Basic with
        your e-mail (<span className="mono">{actor.member.email}</span>) and an{' '}
        <Link to="/tokens">API token</Link> as the password, or the token as a Bearer token. It sees exactly
        what you see here.
      </p>
      {taxii.isError ? <ErrorNotice error={taxii.error} /> : null}
      {data === undefined ? (
        taxii.isPending ? (
          <p className="muted">Loading…</p>
        ) : null
      ) : (
        <>
          <section className="panel" aria-labelledby="taxii-server-title">
            <h2 id="taxii-server-title">Server</h2>
            <dl className="props">
              <div>
                <dt className="prop-key">Discovery URL</dt>
                <dd className="prop-val mono" data-testid="taxii-discovery-url">
                  {data.discoveryUrl}
                </dd>
              </div>
              <div>
                <dt className="prop-key">API root</dt>
                <dd className="prop-val mono" data-testid="taxii-api-root">
                  {data.apiRootUrl}
                </dd>
              </div>
              <div>
                <dt className="prop-key">Media type</dt>
                <dd className="prop-val mono">application/taxii+json;version=2.1</dd>
              </div>
            </dl>
          </section>
          <div className="table-wrap">
            <table className="table" data-testid="taxii-collections">
              <caption className="sr-only">Your TAXII collections</caption>
              <thead>
                <tr>
                  <th scope="col">Collection</th>
                  <th scope="col">Objects you see</th>
                  <th scope="col">Access</th>
                  <th scope="col">Collection id</th>
                </tr>
              </thead>
              <tbody>
                {data.collections.map((c) => (
                  <tr key={c.id} data-testid="taxii-collection">
                    <th scope="row" className="cell-name">
                      <span data-testid="taxii-collection-title">{c.title}</span>
                      <span className="hint cell-sub">{c.description}</span>
                    </th>
                    <td className="cell-nowrap" data-testid="taxii-collection-objects">
                      {objectCount(c)}
                    </td>
                    <td className="cell-nowrap">{access(c)}</td>
                    <td className="mono cell-nowrap">{c.id}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {community !== undefined ? (
            <section className="panel panel-after-table" aria-labelledby="taxii-howto-title">
              <h2 id="taxii-howto-title">Try it</h2>
              <p className="hint">
                The first 100 objects of the {community.title} collection (oldest first, as TAXII pages), with{' '}
                <span className="mono">curl</span>:
              </p>
              <pre className="codeblock">
                {`curl -fsS -u '${actor.member.email}:<token>' \\\n  -H 'Accept: application/taxii+json;version=2.1' \\\n  '${community.objectsUrl}?limit=100'`}
              </pre>
              <p className="hint">With the OASIS Python client (taxii2-client):</p>
              <pre className="codeblock">
                {`from taxii2client.v21 import Server, as_pages\nserver = Server("${data.discoveryUrl}", user="${actor.member.email}", password="<token>")\ncollection = next(c for c in server.default.collections if c.id == "${community.id}")\nfor envelope in as_pages(collection.get_objects, per_request=500):\n    for obj in envelope.get("objects", []):\n        print(obj["id"])`}
              </pre>
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
