import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { apiIntelPath, DISTRIBUTION_LABELS, type IntelVersion } from '../../api/intel.ts';
import type { List } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableStatusRows } from '../../components/TableStatusRows.tsx';
import { TlpBadge } from '../../components/TlpBadge.tsx';
import { INTEL_KEY } from '../sharing-data.ts';

// The versions of an object the actor may see, oldest first.

export function Versions({ stixId }: { readonly stixId: string }) {
  const versions = useQuery({
    queryKey: [...INTEL_KEY, 'versions', stixId],
    queryFn: () => api.get<List<IntelVersion>>(`${apiIntelPath(stixId)}/versions`),
  });
  const [open, setOpen] = useState<string | null>(null);
  const items = versions.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ErrorNotice error={versions.error} />
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="sr-only">Versions you can see, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Modified</th>
              <th scope="col">Added</th>
              <th scope="col">TLP</th>
              <th scope="col">Distribution</th>
              <th scope="col">
                <span className="sr-only">JSON</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <TableStatusRows columns={5} query={versions} count={items.length} />
            {items.map((ver, i) => {
              const key = `${ver.modified ?? ''}|${ver.dateAdded}`;
              return (
                <VersionRow
                  key={key}
                  ver={ver}
                  latest={i === items.length - 1}
                  open={open === key}
                  onToggle={() => setOpen(open === key ? null : key)}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function VersionRow({
  ver,
  latest,
  open,
  onToggle,
}: {
  readonly ver: IntelVersion;
  readonly latest: boolean;
  readonly open: boolean;
  readonly onToggle: () => void;
}) {
  return (
    <>
      <tr data-testid="version-row">
        <th scope="row" className="mono cell-nowrap">
          {ver.modified ?? '—'}
          {latest ? <span className="tag tag-ok">latest</span> : null}
          {ver.revoked ? <span className="tag tag-revoked">revoked</span> : null}
        </th>
        <td className="cell-nowrap">{formatDateTime(ver.dateAdded)}</td>
        <td className="cell-nowrap">
          <TlpBadge tlp={ver.tlp} />
        </td>
        <td className="cell-nowrap">{DISTRIBUTION_LABELS[ver.distribution] ?? ver.distribution}</td>
        <td className="cell-actions">
          <button type="button" className="button button-small" aria-expanded={open} onClick={onToggle}>
            {open ? 'Hide JSON' : 'JSON'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="row-editor">
          <td colSpan={5}>
            <pre className="codeblock">{JSON.stringify(ver.object, null, 2)}</pre>
          </td>
        </tr>
      ) : null}
    </>
  );
}
