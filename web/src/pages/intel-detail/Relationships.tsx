import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { apiIntelPath, type IntelVersion, intelPath, type StixObject } from '../../api/intel.ts';
import type { List } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TlpBadge } from '../../components/TlpBadge.tsx';
import { INTEL_KEY } from '../sharing-data.ts';
import { RefLink } from './ObjectProperties.tsx';

// Visible relationships and sightings that reference an object.

function refsOf(o: StixObject): string[] {
  const out: string[] = [];
  for (const key of ['source_ref', 'target_ref', 'sighting_of_ref']) {
    const r = o[key];
    if (typeof r === 'string') out.push(r);
  }
  for (const key of ['where_sighted_refs', 'observed_data_refs']) {
    const rs = o[key];
    if (Array.isArray(rs)) for (const r of rs) if (typeof r === 'string') out.push(r);
  }
  return out;
}

export function Relationships({ v }: { readonly v: IntelVersion }) {
  const rels = useQuery({
    queryKey: [...INTEL_KEY, 'relationships', v.stixId],
    queryFn: () => api.get<List<IntelVersion>>(`${apiIntelPath(v.stixId)}/relationships`),
  });
  const own = v.type === 'relationship' || v.type === 'sighting' ? refsOf(v.object) : [];
  const items = rels.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="rels-title">
      <h2 id="rels-title">Relationships</h2>
      {own.length > 0 ? (
        <p>
          This {v.type} links{' '}
          {own.map((r, i) => (
            <span key={r}>
              {i > 0 ? ', ' : ''}
              <RefLink stixId={r} />
            </span>
          ))}
          .
        </p>
      ) : null}
      <ErrorNotice error={rels.error} />
      {rels.isPending ? <p className="muted">Loading…</p> : null}
      {rels.isSuccess && items.length === 0 ? (
        <p className="muted">No relationships or sightings you can see reference this object.</p>
      ) : null}
      {items.length > 0 ? (
        <ul className="rel-list">
          {items.map((r) => (
            <RelationshipItem key={r.stixId} rel={r} self={v.stixId} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function RelationshipItem({ rel, self }: { readonly rel: IntelVersion; readonly self: string }) {
  const o = rel.object;
  const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  const ref = (r: string | null) =>
    r === null ? (
      <span className="muted">?</span>
    ) : r === self ? (
      <strong>this object</strong>
    ) : (
      <RefLink stixId={r} />
    );
  return (
    <li data-testid="relationship">
      <TlpBadge tlp={rel.tlp} />{' '}
      {rel.type === 'sighting' ? (
        <>
          <Link to={intelPath(rel.stixId)}>Sighting</Link> of {ref(text('sighting_of_ref'))}
          {typeof o.count === 'number' ? <span className="muted"> · {o.count} times</span> : null}
        </>
      ) : (
        <>
          {ref(text('source_ref'))}{' '}
          <Link to={intelPath(rel.stixId)} className="rel-type">
            {text('relationship_type') ?? 'related-to'}
          </Link>{' '}
          {ref(text('target_ref'))}
        </>
      )}
      <span className="muted"> · {rel.ownerOrgName}</span>
    </li>
  );
}
