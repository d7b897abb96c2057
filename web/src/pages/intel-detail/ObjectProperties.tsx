import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { apiIntelPath, type IntelVersion, intelPath, objectLabel, type StixObject } from '../../api/intel.ts';
import { INTEL_KEY } from '../sharing-data.ts';

// The properties of a STIX object as text (attacker-controlled: never HTML); refs become links.

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
export function RefLink({ stixId }: { readonly stixId: string }) {
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
export function ObjectProperties({ object }: { readonly object: StixObject }) {
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
