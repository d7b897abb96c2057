import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.ts';
import {
  apiIntelPath,
  DISTRIBUTION_LABELS,
  type IntelVersion,
  intelPath,
  objectLabel,
  type StixObject,
  TLP_LABELS,
} from '../api/intel.ts';
import { errorCode } from '../api/messages.ts';
import type { List } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/Layout.tsx';
import { TlpBadge } from '../components/TlpBadge.tsx';
import { useActor } from '../session/session.ts';
import { INTEL_KEY, useGroups } from './sharing-data.ts';

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  web: 'Web app',
  rest: 'REST API',
  taxii: 'TAXII',
  import: 'Import',
  feed: 'Feed',
};

/** Properties shown in the facts above, or not worth a row of their own. */
const HIDDEN = new Set([
  'type',
  'id',
  'spec_version',
  'created',
  'modified',
  'object_marking_refs',
  'created_by_ref',
  'name',
  'description',
  'pattern',
  'value',
]);

/** Refs to other objects, shown as links (the target may still be invisible: then it is a 404). */
function isRef(key: string, value: unknown): value is string {
  return (
    typeof value === 'string' &&
    (key.endsWith('_ref') || key.endsWith('_refs')) &&
    /^[a-z0-9-]+--[0-9a-f-]{36}$/.test(value)
  );
}

/** A property value as text: strings verbatim, lists one per line, anything else as JSON. */
function PropertyValue({ name, value }: { readonly name: string; readonly value: unknown }) {
  if (typeof value === 'string') {
    return isRef(name, value) ? (
      <Link className="mono" to={intelPath(value)}>
        {value}
      </Link>
    ) : (
      <span className="prop-text">{value}</span>
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return (
      <ul className="prop-list">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a list may repeat a value; order is the identity
          <li key={i}>
            {isRef(name, v) ? (
              <Link className="mono" to={intelPath(v)}>
                {v}
              </Link>
            ) : (
              <span className="prop-text">{v}</span>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <pre className="codeblock codeblock-inline">{JSON.stringify(value, null, 2)}</pre>;
}

/**
 * A link to another object, labelled with its name when the actor may see it (one cached query
 * per object); its id otherwise — an object one may not see answers 404, like a missing one.
 */
function RefLink({ stixId }: { readonly stixId: string }) {
  const ref = useQuery({
    queryKey: [...INTEL_KEY, 'object', stixId],
    queryFn: () => api.get<IntelVersion>(apiIntelPath(stixId)),
    retry: false,
    staleTime: 60_000,
  });
  const type = stixId.split('--')[0] ?? '';
  return (
    <span className="ref">
      <span className="tag">{type}</span>
      <Link to={intelPath(stixId)} className={ref.data ? undefined : 'mono'}>
        {ref.data ? objectLabel(ref.data) : stixId}
      </Link>
    </span>
  );
}

/** The object's own properties, as text. */
function ObjectProperties({ object }: { readonly object: StixObject }) {
  const description = typeof object.description === 'string' ? object.description : null;
  const pattern = typeof object.pattern === 'string' ? object.pattern : null;
  const rest = Object.entries(object).filter(([k]) => !HIDDEN.has(k));
  return (
    <section className="panel" aria-labelledby="props-title">
      <h2 id="props-title">Properties</h2>
      {description === null ? null : (
        <>
          <h3>Description</h3>
          <p className="prop-description" data-testid="intel-description">
            {description}
          </p>
        </>
      )}
      {pattern === null ? null : (
        <>
          <h3>Pattern</h3>
          <pre className="codeblock" data-testid="intel-pattern">
            {pattern}
          </pre>
        </>
      )}
      {rest.length === 0 ? null : (
        <dl className="props">
          {rest.map(([k, v]) => (
            <div key={k}>
              <dt className="mono prop-key">{k}</dt>
              <dd className="prop-val">
                <PropertyValue name={k} value={v} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {description === null && pattern === null && rest.length === 0 ? (
        <p className="muted">No further properties.</p>
      ) : null}
    </section>
  );
}

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

function DeleteButton({ v }: { readonly v: IntelVersion }) {
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

/** Recipients may relay into one of their sharing groups — never RED or AMBER+STRICT. */
function RelayForm({ v }: { readonly v: IntelVersion }) {
  const groups = useGroups();
  const id = useId();
  const [groupId, setGroupId] = useState('');
  const relay = useMutation({
    mutationFn: (target: string) =>
      api.post<void>(`${apiIntelPath(v.stixId)}/relay`, { distribution: { kind: 'group', groupId: target } }),
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
  const items = groups.data?.items ?? [];
  function submit(e: FormEvent) {
    e.preventDefault();
    if (groupId !== '') relay.mutate(groupId);
  }
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Relay to a sharing group</h2>
      {groups.isSuccess && items.length === 0 ? (
        <p className="hint">
          Your organization is in no sharing group. <Link to="/groups">Create one</Link> to relay intelligence
          to it.
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
          Relayed to {items.find((g) => g.id === relay.variables)?.name ?? 'the group'}.
        </div>
      ) : null}
    </section>
  );
}

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

function Relationships({ v }: { readonly v: IntelVersion }) {
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

function Versions({ stixId }: { readonly stixId: string }) {
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
            {versions.isPending ? (
              <tr>
                <td colSpan={5} className="empty">
                  Loading…
                </td>
              </tr>
            ) : null}
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
