import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { type FormEvent, Fragment, useId, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { errorCode } from '../api/messages.ts';
import type { AuditEvent, AuditEventPage } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { formatDateTime } from '../components/format.ts';
import { PagedFooter } from '../components/PagedFooter.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { useActor } from '../session/session.ts';

const PAGE_SIZE = 50;

interface Filters {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  /** `datetime-local` values (local time, no zone). */
  readonly from: string;
  readonly to: string;
}

/** Suggestions for the action filter (docs/audit.md): every subject; any prefix works. */
const ACTION_PREFIXES = [
  'intel.',
  'taxii.',
  'group.',
  'member.',
  'org.',
  'session.',
  'token.',
  'audit.',
  'witness.',
  'setup.',
] as const;

const NO_FILTERS: Filters = { actor: '', action: '', subject: '', from: '', to: '' };

/** A `datetime-local` value ("2026-03-01T09:30", local time) as an RFC 3339 instant, or null. */
function localToIso(value: string): string | null {
  if (value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function searchPath(filters: Filters, cursor: string | null): string {
  const q = new URLSearchParams();
  for (const key of ['actor', 'action', 'subject'] as const) {
    const v = filters[key].trim();
    if (v !== '') q.set(key, v);
  }
  const from = localToIso(filters.from);
  const to = localToIso(filters.to);
  if (from !== null) q.set('from', from);
  if (to !== null) q.set('to', to);
  q.set('limit', String(PAGE_SIZE));
  if (cursor !== null) q.set('cursor', cursor);
  return `/api/v1/audit/events?${q.toString()}`;
}

/** Offers a JSON value as a file download (Blob + object URL); nothing is rendered. */
function downloadJson(value: unknown, fileName: string): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The searchable audit trail: filters, newest-first table, details, receipts. */
export function AuditTrail() {
  const actor = useActor();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const events = useInfiniteQuery({
    queryKey: ['audit-events', filters],
    queryFn: ({ pageParam }) => api.get<AuditEventPage>(searchPath(filters, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    enabled: actor.canReadAuditTrail,
  });
  const heading = useRef<HTMLHeadingElement>(null);
  const receipt = useMutation({
    mutationFn: async (id: string) => {
      const body = await api.get<unknown>(`/api/v1/audit/events/${encodeURIComponent(id)}/receipt`);
      downloadJson(body, `receipt-${id}.json`);
      return id;
    },
  });

  function search(e: FormEvent) {
    e.preventDefault();
    setOpen(new Set());
    setFilters(draft);
  }

  function clear() {
    setDraft(NO_FILTERS);
    setOpen(new Set());
    setFilters(NO_FILTERS);
  }

  function filterBy(key: 'actor' | 'subject', value: string) {
    const next = { ...NO_FILTERS, [key]: value };
    setDraft(next);
    setOpen(new Set());
    setFilters(next);
    // The button that asked for this goes away with its row: keep keyboard focus on the trail.
    heading.current?.focus();
  }

  function toggle(id: string) {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const forbidden = errorCode(events.error) === 'FORBIDDEN';
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Object.values(filters).some((v) => v.trim() !== '');

  return (
    <section className="panel" aria-labelledby="trail-title">
      <h2 id="trail-title" ref={heading} tabIndex={-1}>
        Audit trail
      </h2>
      {forbidden || !actor.canReadAuditTrail ? (
        <div className="notice notice-info" role="status" data-testid="trail-forbidden">
          The audit trail is for admins and auditors. Ask an admin of your organization if you need it.
        </div>
      ) : (
        <>
          <p className="hint trail-scope">
            {actor.readsWholeAuditTrail
              ? 'You see the events of every organization. '
              : `You see the events of members of ${actor.organization.name}. `}
            Searching is itself recorded in the trail. Download a receipt to keep proof that an event is in
            the log; <code>npx tabella audit check-receipt &lt;file&gt; --vkey &lt;key&gt;</code> checks it
            offline.
          </p>
          <FilterForm
            draft={draft}
            onChange={setDraft}
            onSubmit={search}
            onClear={clear}
            busy={events.isFetching}
          />
          <ErrorNotice error={events.error} />
          <ErrorNotice
            error={receipt.error}
            messages={{
              EVENT_NOT_LOGGED:
                'That event is not in the transparency log yet (it is sequenced within seconds). Try again in a moment.',
            }}
          />
          {receipt.isSuccess ? (
            <p className="sr-only" role="status">
              Receipt downloaded.
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="table table-trail">
              <caption className="sr-only">Audit events, newest first{filtered ? ' (filtered)' : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Log index</th>
                  <th scope="col">
                    <span className="sr-only">Details and receipt</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <TableStatusRows
                  columns={6}
                  query={events}
                  count={items.length}
                  empty={filtered ? 'No events match these filters.' : 'No events yet.'}
                />
                {items.map((ev) => (
                  <EventRows
                    key={ev.id}
                    event={ev}
                    expanded={open.has(ev.id)}
                    onToggle={() => toggle(ev.id)}
                    onReceipt={() => receipt.mutate(ev.id)}
                    receiptBusy={receipt.isPending && receipt.variables === ev.id}
                    onFilter={filterBy}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <PagedFooter query={events} count={items.length} noun={['event', 'events']} />
        </>
      )}
    </section>
  );
}

function FilterForm({
  draft,
  onChange,
  onSubmit,
  onClear,
  busy,
}: {
  readonly draft: Filters;
  readonly onChange: (f: Filters) => void;
  readonly onSubmit: (e: FormEvent) => void;
  readonly onClear: () => void;
  readonly busy: boolean;
}) {
  const id = useId();
  const field = (
    key: keyof Filters,
    label: string,
    hint: string,
    type = 'text',
    mono = false,
    list?: string,
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type={type}
        className={mono ? 'mono' : undefined}
        maxLength={type === 'text' ? 100 : undefined}
        value={draft[key]}
        onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
        aria-describedby={`${id}-${key}-hint`}
        autoComplete="off"
        spellCheck={false}
        list={list}
      />
      <p id={`${id}-${key}-hint`} className="hint">
        {hint}
      </p>
    </div>
  );
  return (
    <search aria-label="Filter the audit trail">
      <form className="filters" onSubmit={onSubmit}>
        <datalist id={`${id}-actions`}>
          {ACTION_PREFIXES.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <div className="field-row">
          {field(
            'actor',
            'Actor',
            'A member or organization ID, or a type: member, token, cli, anonymous.',
            'text',
            true,
          )}
          {field(
            'action',
            'Action',
            'Matches the start, e.g. member. or org.status.',
            'text',
            true,
            `${id}-actions`,
          )}
          {field('subject', 'Subject', 'The ID of the member, organization or other subject.', 'text', true)}
        </div>
        <div className="field-row">
          {field('from', 'From', 'Your local time; events at or after it.', 'datetime-local')}
          {field('to', 'To', 'Your local time; events before it.', 'datetime-local')}
          <div className="form-actions filters-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              Search
            </button>
            <button type="button" className="button" onClick={onClear}>
              Clear
            </button>
          </div>
        </div>
      </form>
    </search>
  );
}

function EventRows({
  event: ev,
  expanded,
  onToggle,
  onReceipt,
  receiptBusy,
  onFilter,
}: {
  readonly event: AuditEvent;
  readonly expanded: boolean;
  readonly onToggle: () => void;
  readonly onReceipt: () => void;
  readonly receiptBusy: boolean;
  readonly onFilter: (key: 'actor' | 'subject', value: string) => void;
}) {
  const detailsId = `event-${ev.id}`;
  return (
    <Fragment>
      <tr data-testid="event-row" className={expanded ? 'row-editing' : undefined}>
        <td className="cell-nowrap">
          <time dateTime={ev.at}>{formatDateTime(ev.at)}</time>
        </td>
        <td className="cell-id">
          <span className="tag">{ev.actorType}</span>
          {ev.actorId === null ? null : <span className="mono">{ev.actorId}</span>}
        </td>
        <th scope="row" className="mono cell-action">
          {ev.action}
        </th>
        <td className="cell-id">
          <span className="tag">{ev.subjectType}</span>
          {ev.subjectId === null ? null : <span className="mono">{ev.subjectId}</span>}
        </td>
        <td>
          {ev.logIndex === null ? (
            <span className="badge badge-pending" title="Not sequenced into the log yet">
              pending
            </span>
          ) : (
            <span className="mono">{ev.logIndex}</span>
          )}
        </td>
        <td className="cell-actions">
          <button
            type="button"
            className="button button-small"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            onClick={onToggle}
            aria-label={`${expanded ? 'Hide' : 'Show'} details of ${ev.action} at ${formatDateTime(ev.at)}`}
          >
            {expanded ? 'Hide' : 'Details'}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={onReceipt}
            disabled={receiptBusy}
            aria-label={`Download receipt for ${ev.action} at ${formatDateTime(ev.at)}`}
          >
            {receiptBusy ? 'Fetching…' : 'Receipt'}
          </button>
        </td>
      </tr>
      {expanded ? (
        <tr className="row-editor">
          <td colSpan={6} id={detailsId}>
            <div className="event-details">
              <dl className="facts facts-stacked">
                <div>
                  <dt>Event ID</dt>
                  <dd className="mono">{ev.id}</dd>
                </div>
                <div>
                  <dt>Time</dt>
                  <dd className="mono">{ev.at}</dd>
                </div>
                <div>
                  <dt>Actor</dt>
                  <dd>
                    <span className="mono">
                      {ev.actorType}
                      {ev.actorId === null ? '' : ` ${ev.actorId}`}
                    </span>
                    {ev.actorOrgId === null ? null : (
                      <>
                        {' of '}
                        <span className="mono">{ev.actorOrgId}</span>
                      </>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Subject</dt>
                  <dd className="mono">
                    {ev.subjectType}
                    {ev.subjectId === null ? '' : ` ${ev.subjectId}`}
                  </dd>
                </div>
                <div>
                  <dt>Log index</dt>
                  <dd>{ev.logIndex === null ? 'Pending: not sequenced yet' : ev.logIndex}</dd>
                </div>
              </dl>
              <div className="event-details-json">
                <h3 id={`${detailsId}-json`}>Details</h3>
                <pre className="codeblock" data-testid="event-details">
                  {JSON.stringify(ev.details, null, 2)}
                </pre>
                <div className="form-actions">
                  {ev.actorId === null ? null : (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => onFilter('actor', ev.actorId ?? '')}
                    >
                      Events by this actor
                    </button>
                  )}
                  {ev.subjectId === null ? null : (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => onFilter('subject', ev.subjectId ?? '')}
                    >
                      Events about this subject
                    </button>
                  )}
                </div>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}
