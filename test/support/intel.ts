// Helpers for the intel sharing tests (REST, property test, CLI): STIX objects to share, a
// service context for a member's token, and reading every page of a paged REST listing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../src/features/context.ts';
import { authenticateToken } from '../../src/features/membership/index.ts';
import { type Tlp, tlpMarkingId } from '../../src/policy/index.ts';
import type { Client } from './json-client.ts';
import type { TestServer } from './server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically in tests
type Json = any;

/** A marking-definition that is not TLP: objects carrying it are visible to their owner only. */
export const UNKNOWN_MARKING = 'marking-definition--0d6f1c8e-3b7a-4c55-9a3e-5d2f8e6b1a44';

export interface IndicatorOptions {
  readonly id?: string;
  /** A TLP 2.0 marking, or `unknown` for a non-TLP marking-definition. */
  readonly tlp?: Tlp | 'unknown';
  readonly modified?: string;
  readonly name?: string;
  readonly description?: string;
  readonly pattern?: string;
  readonly createdByRef?: string;
}

/** A STIX object as tests build it. */
export type StixObject = { readonly id: string; readonly [key: string]: unknown };

let counter = 0;

/** A valid STIX 2.1 indicator. */
export function indicator(o: IndicatorOptions = {}): StixObject {
  counter += 1;
  const created = '2026-01-01T00:00:00.000Z';
  const markings =
    o.tlp === undefined ? undefined : o.tlp === 'unknown' ? [UNKNOWN_MARKING] : [tlpMarkingId(o.tlp)];
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: o.id ?? `indicator--${randomUUID()}`,
    created,
    modified: o.modified ?? created,
    name: o.name ?? `Indicator ${counter}`,
    ...(o.description === undefined ? {} : { description: o.description }),
    pattern: o.pattern ?? `[ipv4-addr:value = '198.51.100.${counter % 250}']`,
    pattern_type: 'stix',
    valid_from: created,
    ...(o.createdByRef === undefined ? {} : { created_by_ref: o.createdByRef }),
    ...(markings === undefined ? {} : { object_marking_refs: markings }),
  };
}

/** A STIX cyber-observable (ipv4-addr, domain-name, url) with a value, or a file with a hash. */
export function observable(
  type: 'ipv4-addr' | 'domain-name' | 'url' | 'file',
  value: string,
  tlp: Tlp,
): StixObject {
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${randomUUID()}`,
    ...(type === 'file' ? { hashes: { 'SHA-256': value } } : { value }),
    object_marking_refs: [tlpMarkingId(tlp)],
  };
}

export function relationship(source: string, target: string, tlp: Tlp | 'unknown'): StixObject {
  const created = '2026-01-01T00:00:00.000Z';
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${randomUUID()}`,
    created,
    modified: created,
    relationship_type: 'indicates',
    source_ref: source,
    target_ref: target,
    object_marking_refs: [tlp === 'unknown' ? UNKNOWN_MARKING : tlpMarkingId(tlp)],
  };
}

/** A service context acting as the member who owns this token. */
export async function memberContext(s: TestServer, token: string): Promise<ServiceContext> {
  const principal = await authenticateToken(s.cli, token);
  return { ...s.cli, actor: principal.actor };
}

/** Every item of a paged REST listing, following `next`; asserts each page respects `limit`. */
export async function allPages(api: Client, path: string, limit: number): Promise<Json[]> {
  const items: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const r: Json = await api.get(
      `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length <= limit);
    items.push(...r.body.items);
    if (r.body.next === null) return items;
    assert.equal(r.body.items.length, limit, 'a page with a next cursor is full');
    cursor = r.body.next;
  }
  throw new Error('too many pages');
}
