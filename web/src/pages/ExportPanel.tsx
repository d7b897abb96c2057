import { Link } from 'react-router';
import type { IntelFilters } from '../api/intel.ts';
import { intelQuery, TLP_LABELS, TLPS } from '../api/intel.ts';

const BLOCKLISTS = [
  { kind: 'ip', label: 'IP addresses' },
  { kind: 'domain', label: 'Domains' },
  { kind: 'url', label: 'URLs' },
  { kind: 'hash', label: 'File hashes' },
] as const;

function exportPath(
  format: string,
  filters: IntelFilters,
  extra: Readonly<Record<string, string>> = {},
): string {
  const q = intelQuery(filters);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return `/api/v1/exports/${format}${s === '' ? '' : `?${s}`}`;
}

function describe(filters: IntelFilters, orgName: string | null): string {
  const parts: string[] = [];
  if (filters.type.trim() !== '') parts.push(`type ${filters.type.trim()}`);
  if (filters.tlp !== '' && (TLPS as readonly string[]).includes(filters.tlp)) {
    parts.push(TLP_LABELS[filters.tlp as (typeof TLPS)[number]]);
  }
  if (filters.org !== '') parts.push(`owned by ${orgName ?? filters.org}`);
  if (filters.addedAfter !== '') parts.push(`added after ${filters.addedAfter}`);
  if (filters.q.trim() !== '') parts.push(`matching “${filters.q.trim()}”`);
  return parts.length === 0 ? 'everything you can see' : parts.join(', ');
}

/**
 * Downloads of the current filter (STIX bundle, CSV, blocklists) and how a device polls them.
 * The links are ordinary GETs: the browser sends the session cookie; the server applies the same
 * visibility rule as the list above.
 */
export function ExportPanel({
  filters,
  orgName,
}: {
  readonly filters: IntelFilters;
  readonly orgName: string | null;
}) {
  const origin = window.location.origin;
  const blocklistUrl = `${origin}${exportPath('blocklist', filters, { kind: 'ip' })}`;
  return (
    <section className="panel export-panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p className="hint">
        Downloads {describe(filters, orgName)} — only what you may see, with the filters above.
      </p>
      <div className="export-links">
        <a
          className="button"
          href={exportPath('stix', filters)}
          download="tabella-intel.stix.json"
          data-testid="export-stix"
        >
          STIX 2.1 bundle
        </a>
        <a
          className="button"
          href={exportPath('csv', filters)}
          download="tabella-intel.csv"
          data-testid="export-csv"
        >
          CSV
        </a>
        <span className="export-sep" aria-hidden="true" />
        <span className="export-label" id="blocklists-label">
          Blocklists:
        </span>
        <ul className="export-list" aria-labelledby="blocklists-label">
          {BLOCKLISTS.map((b) => (
            <li key={b.kind}>
              <a
                className="button button-small"
                href={exportPath('blocklist', filters, { kind: b.kind })}
                download={`tabella-blocklist-${b.kind}.txt`}
                data-testid={`export-blocklist-${b.kind}`}
              >
                {b.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <details className="export-howto">
        <summary>Poll an export from a firewall, DNS filter or script</summary>
        <p className="hint">
          Create an API token with the <strong>Feeds</strong> scope (on{' '}
          <Link to="/tokens?for=device">API tokens</Link>) for a member who may see the intelligence, then
          fetch the URL on a schedule. Send the token in a header:
        </p>
        <pre className="codeblock">{`curl -fsS -H 'Authorization: Bearer <token>' \\\n  '${blocklistUrl}'`}</pre>
        <p className="hint">
          Devices that cannot send headers may put it in the URL. It then appears in their logs, so only a{' '}
          <strong>feeds</strong> token (exports and TAXII pulls, nothing else) is accepted there —{' '}
          <Link to="/tokens?for=device">create a feeds token for this device</Link>:
        </p>
        <pre className="codeblock">{`${blocklistUrl}${blocklistUrl.includes('?') ? '&' : '?'}token=<token>`}</pre>
        <p className="hint">
          Blocklists are plain text, one entry per line; use <code>kind=domain</code>, <code>url</code> or{' '}
          <code>hash</code> for the others.
        </p>
      </details>
    </section>
  );
}
