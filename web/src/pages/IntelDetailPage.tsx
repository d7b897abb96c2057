import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.ts';
import {
  apiIntelPath,
  DISTRIBUTION_LABELS,
  GRANULAR_MARKINGS_MEANING,
  type IntelVersion,
  objectLabel,
  type StixObject,
  TLP_LABELS,
  UNKNOWN_MARKING_MEANING,
} from '../api/intel.ts';
import { errorCode } from '../api/messages.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { TlpBadge } from '../components/TlpBadge.tsx';
import { useActor } from '../session/session.ts';
import { DeleteButton, RelayForm } from './intel-detail/ObjectActions.tsx';
import { ObjectProperties } from './intel-detail/ObjectProperties.tsx';
import { Relationships } from './intel-detail/Relationships.tsx';
import { Versions } from './intel-detail/Versions.tsx';
import { INTEL_KEY, useGroups } from './sharing-data.ts';

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  web: 'Web app',
  rest: 'REST API',
  taxii: 'TAXII',
  import: 'Import',
  feed: 'Feed',
};

/** Properties shown in the facts above, or not worth a row of their own. */

/** An object's detail: properties, raw JSON, relationships, versions, sharing; delete or relay. */
export function IntelDetailPage() {
  const { id = '' } = useParams();
  const actor = useActor();
  const object = useQuery({
    queryKey: [...INTEL_KEY, 'object', id],
    queryFn: () => api.get<IntelVersion>(apiIntelPath(id)),
  });
  const v = object.data;
  const notFound = errorCode(object.error) === 'NOT_FOUND';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/intel">Intelligence</Link>
      </p>
      {object.isPending ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : null}
      {notFound ? (
        <div data-testid="intel-not-found">
          <PageHeader title="Object not found" />
          <p>
            There is no object <span className="mono">{id}</span>, or it has not been shared with{' '}
            {actor.organization.name}.
          </p>
        </div>
      ) : (
        <ErrorNotice error={object.error} />
      )}
      {v ? <ObjectDetail v={v} /> : null}
    </>
  );
}

function ObjectDetail({ v }: { readonly v: IntelVersion }) {
  const actor = useActor();
  const owned = v.ownerOrgId === actor.organization.id;
  const label = objectLabel(v);
  return (
    <>
      <PageHeader title={label}>{owned ? <DeleteButton v={v} /> : null}</PageHeader>
      <p className="subhead detail-subhead">
        <span className="tag">{v.type}</span> <TlpBadge tlp={v.tlp} />{' '}
        {v.revoked ? <span className="tag tag-revoked">revoked</span> : null}
        <span className="mono detail-id">{v.stixId}</span>
      </p>
      <SharingFacts v={v} />
      <MarkingNotes v={v} />
      {!owned ? <RelayForm v={v} /> : null}
      <ObjectProperties object={v.object} />
      <Relationships v={v} />
      <Versions stixId={v.stixId} />
      <section className="panel" aria-labelledby="json-title">
        <h2 id="json-title">STIX JSON (latest version you can see)</h2>
        <pre className="codeblock codeblock-tall" data-testid="intel-json">
          {JSON.stringify(v.object, null, 2)}
        </pre>
      </section>
    </>
  );
}

function hasGranularMarkings(o: StixObject): boolean {
  const g = o.granular_markings;
  return Array.isArray(g) && g.some((m) => typeof m === 'object' && m !== null && 'marking_ref' in m);
}

/** What the TLP shown means when it is not simply the object's own TLP marking. */
function MarkingNotes({ v }: { readonly v: IntelVersion }) {
  if (v.tlp === 'unknown') {
    return (
      <p className="notice notice-warn" role="note" data-testid="unknown-marking-note">
        <strong>{TLP_LABELS.unknown}.</strong> {UNKNOWN_MARKING_MEANING}
      </p>
    );
  }
  if (hasGranularMarkings(v.object)) {
    return (
      <p className="notice notice-info" role="note" data-testid="granular-markings-note">
        {GRANULAR_MARKINGS_MEANING}
      </p>
    );
  }
  return null;
}

function SharingFacts({ v }: { readonly v: IntelVersion }) {
  const actor = useActor();
  const groups = useGroups();
  const group =
    v.groupId === null ? null : ((groups.data?.items ?? []).find((g) => g.id === v.groupId) ?? null);
  return (
    <dl className="facts" aria-label="Sharing">
      <div>
        <dt>Shared by</dt>
        <dd>
          {v.ownerOrgName}
          {v.ownerOrgId === actor.organization.id ? (
            <span className="tag tag-muted tag-after">Yours</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>TLP</dt>
        <dd>{TLP_LABELS[v.tlp]}</dd>
      </div>
      <div>
        <dt>Distribution</dt>
        <dd data-testid="intel-distribution">
          {DISTRIBUTION_LABELS[v.distribution] ?? v.distribution}
          {v.distribution === 'group' ? (
            <span className="muted"> · {group === null ? (v.groupId ?? '') : group.name}</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd>{SOURCE_LABELS[v.source] ?? v.source}</dd>
      </div>
      <div>
        <dt>Added</dt>
        <dd>
          <time dateTime={v.dateAdded}>{formatDateTime(v.dateAdded)}</time>
        </dd>
      </div>
      <div>
        <dt>Modified</dt>
        <dd>{v.modified === null ? '—' : formatDateTime(v.modified)}</dd>
      </div>
    </dl>
  );
}
