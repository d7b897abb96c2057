import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import {
  type Distribution,
  type DistributionKind,
  intelPath,
  type ShareResult,
  shareBody,
  TLP_MEANINGS,
  TLPS,
  type Tlp,
} from '../api/intel.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PageHeader } from '../components/Layout.tsx';
import { TlpBadge } from '../components/TlpBadge.tsx';
import { useActor } from '../session/session.ts';
import { INTEL_KEY, useGroups, useOrgDirectory } from './sharing-data.ts';

/** Bundles larger than this are refused before reading (the server has its own limit). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

const KIND_HINTS: Readonly<Record<DistributionKind, string>> = {
  org: 'Only members of your organization.',
  orgs: 'The organizations you name below.',
  group: 'The organizations in one of your sharing groups now (never TLP:RED or AMBER+STRICT).',
  community: 'Every vetted organization of the partnership.',
  public: 'Anyone, without signing in (public TAXII collection and exports). TLP:CLEAR only.',
};

const KINDS: readonly DistributionKind[] = ['org', 'orgs', 'group', 'community', 'public'];

/** Why this TLP and distribution cannot go together (docs/sharing.md), or null. */
function conflict(tlp: Tlp, kind: DistributionKind): string | null {
  if (kind === 'public' && tlp !== 'clear') return 'Only TLP:CLEAR may be public.';
  if (tlp === 'red' && kind !== 'orgs' && kind !== 'org') {
    return 'TLP:RED goes only to named organizations (or stays in your own).';
  }
  return null;
}

/** Share: paste or upload STIX, choose TLP and distribution, see what was stored. */
export function SharePage() {
  const actor = useActor();
  const client = useQueryClient();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [kind, setKind] = useState<DistributionKind>('community');
  const [orgIds, setOrgIds] = useState<ReadonlySet<string>>(new Set());
  const [groupId, setGroupId] = useState('');
  const [futureMembers, setFutureMembers] = useState(false);
  const [orgFilter, setOrgFilter] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const orgs = useOrgDirectory();
  const groups = useGroups();

  const share = useMutation({
    mutationFn: (body: unknown) => api.post<ShareResult>('/api/v1/intel', body),
    onSuccess: () => client.invalidateQueries({ queryKey: INTEL_KEY }),
  });

  function readFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file === undefined) return;
    setFormError(null);
    if (file.size > MAX_FILE_BYTES) {
      setFileNote(null);
      setFormError(`${file.name} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      setText(typeof reader.result === 'string' ? reader.result : '');
      setFileNote(`Loaded ${file.name} (${file.size.toLocaleString()} bytes).`);
      share.reset();
    };
    reader.onerror = () => setFormError(`${file.name} could not be read.`);
    reader.readAsText(file);
  }

  function distribution(): Distribution | string {
    switch (kind) {
      case 'orgs':
        return orgIds.size === 0 ? 'Choose at least one organization.' : { kind, orgIds: [...orgIds] };
      case 'group':
        return groupId === '' ? 'Choose a sharing group.' : { kind, groupId, futureMembers };
      default:
        return { kind };
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    share.reset();
    const parsed = shareBody(text);
    if (!parsed.ok) {
      setFormError(parsed.error);
      return;
    }
    const bad = conflict(tlp, kind);
    if (bad !== null) {
      setFormError(bad);
      return;
    }
    const d = distribution();
    if (typeof d === 'string') {
      setFormError(d);
      return;
    }
    share.mutate({ ...parsed.body, tlp, distribution: d });
  }

  const directory = (orgs.data?.items ?? []).filter(
    (o) => o.id !== actor.organization.id && o.status === 'vetted',
  );
  const needle = orgFilter.trim().toLowerCase();
  const shownOrgs =
    needle === '' ? directory : directory.filter((o) => o.name.toLowerCase().includes(needle));
  const groupItems = groups.data?.items ?? [];
  const mismatch = conflict(tlp, kind);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/intel">Intelligence</Link>
      </p>
      <PageHeader title="Share intelligence" />
      <p className="subhead">
        Shared as <strong>{actor.organization.name}</strong>. Each object is stored whole or not at all; the
        result lists both.
      </p>
      {actor.organization.status !== 'vetted' ? (
        <div className="notice notice-warn">Only vetted organizations share intelligence.</div>
      ) : null}
      <form onSubmit={submit} className="share-form">
        <section className="panel" aria-labelledby={`${id}-stix`}>
          <h2 id={`${id}-stix`}>STIX 2.1 content</h2>
          <div className="field">
            <label htmlFor={`${id}-file`}>Upload a bundle (.json)</label>
            <input
              id={`${id}-file`}
              ref={fileInput}
              type="file"
              accept=".json,application/json,application/stix+json"
              onChange={readFile}
              aria-describedby={`${id}-file-hint`}
            />
            <p id={`${id}-file-hint`} className="hint" role="status">
              {fileNote ?? 'The file is read in your browser and placed in the box below.'}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-json`}>STIX object, list of objects or bundle</label>
            <textarea
              id={`${id}-json`}
              className="mono json-input"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setFileNote(null);
              }}
              rows={14}
              spellCheck={false}
              aria-describedby={`${id}-json-hint`}
              placeholder={'{\n  "type": "indicator",\n  "spec_version": "2.1",\n  …\n}'}
            />
            <p id={`${id}-json-hint`} className="hint">
              Objects are attributed to your organization. A <code>created_by_ref</code> naming another member
              organization's identity is refused.
            </p>
          </div>
        </section>

        <section className="panel" aria-labelledby={`${id}-who`}>
          <h2 id={`${id}-who`}>Who may see it</h2>
          <div className="grid-2">
            <fieldset>
              <legend>TLP</legend>
              {TLPS.map((t) => (
                <div className="radio" key={t}>
                  <input
                    type="radio"
                    id={`${id}-tlp-${t}`}
                    name="tlp"
                    value={t}
                    checked={tlp === t}
                    onChange={() => setTlp(t)}
                    aria-describedby={`${id}-tlp-${t}-hint`}
                  />
                  <label htmlFor={`${id}-tlp-${t}`}>
                    <TlpBadge tlp={t} />
                  </label>
                  <span id={`${id}-tlp-${t}-hint`} className="hint">
                    {TLP_MEANINGS[t]}
                  </span>
                </div>
              ))}
              <p className="hint fieldset-hint">
                Applies to objects without a TLP marking of their own, and is added to their markings. An
                object's strictest TLP marking, granular ones on parts of it included, wins over this one.
              </p>
            </fieldset>
            <fieldset>
              <legend>Distribution</legend>
              {KINDS.map((k) => {
                const disabled = conflict(tlp, k) !== null;
                return (
                  <div className="radio" key={k}>
                    <input
                      type="radio"
                      id={`${id}-kind-${k}`}
                      name="distribution"
                      value={k}
                      checked={kind === k}
                      onChange={() => setKind(k)}
                      aria-describedby={`${id}-kind-${k}-hint`}
                    />
                    <label htmlFor={`${id}-kind-${k}`} className={disabled ? 'label-disabled' : undefined}>
                      {k === 'org' ? actor.organization.name : labelOf(k)}
                    </label>
                    <span id={`${id}-kind-${k}-hint`} className="hint">
                      {KIND_HINTS[k]}
                    </span>
                  </div>
                );
              })}
              {mismatch === null ? null : (
                <p className="notice notice-warn fieldset-hint" role="status">
                  {mismatch}
                </p>
              )}
            </fieldset>
          </div>
          {kind === 'orgs' ? (
            <fieldset className="org-picker">
              <legend>
                Recipient organizations <span className="muted">({orgIds.size} chosen)</span>
              </legend>
              <div className="field">
                <label htmlFor={`${id}-orgfilter`}>Find an organization</label>
                <input
                  id={`${id}-orgfilter`}
                  type="search"
                  value={orgFilter}
                  onChange={(e) => setOrgFilter(e.target.value)}
                />
              </div>
              <ErrorNotice error={orgs.error} />
              <ul className="check-list">
                {shownOrgs.map((o) => (
                  <li key={o.id} className="check">
                    <input
                      type="checkbox"
                      id={`${id}-org-${o.id}`}
                      checked={orgIds.has(o.id)}
                      onChange={(e) => {
                        const next = new Set(orgIds);
                        if (e.target.checked) next.add(o.id);
                        else next.delete(o.id);
                        setOrgIds(next);
                      }}
                    />
                    <label htmlFor={`${id}-org-${o.id}`}>{o.name}</label>
                  </li>
                ))}
                {orgs.isSuccess && shownOrgs.length === 0 ? (
                  <li className="muted">No organization matches.</li>
                ) : null}
              </ul>
            </fieldset>
          ) : null}
          {kind === 'group' ? (
            <div className="field group-field">
              <label htmlFor={`${id}-group`}>Sharing group</label>
              <select id={`${id}-group`} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
                <option value="">Choose a group…</option>
                {groupItems.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={futureMembers}
                  onChange={(e) => setFutureMembers(e.target.checked)}
                />
                Organizations that join the group later may read this too
              </label>
              {groups.isSuccess && groupItems.length === 0 ? (
                <p className="hint">
                  Your organization is in no sharing group yet. <Link to="/groups">Create one</Link>.
                </p>
              ) : null}
            </div>
          ) : null}
        </section>

        {formError === null ? null : (
          <div className="notice notice-error" role="alert">
            {formError}
          </div>
        )}
        <ErrorNotice
          error={share.error}
          messages={{
            FORBIDDEN: 'You may not share intelligence: ask an admin for the analyst role.',
            PAYLOAD_TOO_LARGE:
              'That bundle is larger than the server accepts. Split it or import it from the CLI.',
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={share.isPending}>
            {share.isPending ? 'Sharing…' : 'Share'}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('');
              setFileNote(null);
              setFormError(null);
              share.reset();
              if (fileInput.current !== null) fileInput.current.value = '';
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {share.data ? <ShareResultView result={share.data} /> : null}
    </>
  );
}

function labelOf(k: DistributionKind): string {
  return {
    org: 'Own organization',
    orgs: 'Named organizations',
    group: 'A sharing group',
    community: 'The community',
    public: 'Public',
  }[k];
}

function ShareResultView({ result }: { readonly result: ShareResult }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Bring the answer into view (it is below the form) and let screen readers start from it.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const ok = result.successes.length;
  const bad = result.failures.length;
  return (
    <section className="panel share-result" aria-labelledby="result-title" data-testid="share-result">
      <h2 id="result-title" tabIndex={-1} ref={heading}>
        Result
      </h2>
      <p role="status" className={bad === 0 ? 'notice notice-success' : 'notice notice-warn'}>
        {ok} {ok === 1 ? 'object' : 'objects'} shared
        {bad === 0 ? '.' : `; ${bad} ${bad === 1 ? 'object was' : 'objects were'} not stored.`}
      </p>
      {ok > 0 ? (
        <>
          <h3>Shared</h3>
          <ul className="result-list" data-testid="share-successes">
            {result.successes.map((s) => (
              <li key={`${s.id}|${s.version}`}>
                <Link className="mono" to={intelPath(s.id)}>
                  {s.id}
                </Link>{' '}
                <span className="muted">version {s.version}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {bad > 0 ? (
        <>
          <h3>Not stored</h3>
          <div className="table-wrap">
            <table className="table table-compact" data-testid="share-failures">
              <caption className="sr-only">Objects that were not stored</caption>
              <thead>
                <tr>
                  <th scope="col">Object</th>
                  <th scope="col">Code</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {result.failures.map((f, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: failures may lack an id; their order is stable
                  <tr key={i}>
                    <th scope="row" className="mono cell-id">
                      {f.id ?? `object ${(f.index ?? i) + 1}`}
                      {f.version === undefined ? null : <span className="muted"> {f.version}</span>}
                    </th>
                    <td className="mono cell-nowrap">{f.code}</td>
                    <td className="cell-reason">{f.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
