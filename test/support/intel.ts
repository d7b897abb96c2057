// Helpers for the intel sharing tests (REST, property test, CLI): STIX objects to share, a
// service context for a member's token, reading every page of a paged REST listing, and the
// intel REST tests' world of organizations with sharing and visibility assertions.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../src/features/context.ts';
import { authenticateToken, type Organization } from '../../src/features/membership/index.ts';
import { type Tlp, tlpMarkingId } from '../../src/policy/index.ts';
import { assertError, makeOrg, memberWithToken, startWithOperator } from './arrange.ts';
import type { Engine } from './databases.ts';
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

/** A member of one of the sharing world's organizations, with that organization. */
export type SharingMember = Awaited<ReturnType<typeof memberWithToken>> & { readonly org: Organization };

/**
 * The intel REST tests' world: A owns; B is a named recipient and a member of A's group `groupAB`;
 * C is a vetted outsider; D is pending. Every member is an analyst with an API token.
 */
export interface SharingWorld {
  readonly s: TestServer;
  readonly A: SharingMember;
  readonly B: SharingMember;
  readonly C: SharingMember;
  readonly D: SharingMember;
  readonly groupAB: string;
}

export async function startSharingWorld(engine: Engine): Promise<SharingWorld> {
  const s = await startWithOperator(engine);
  const mk = async (status: 'vetted' | 'pending' = 'vetted'): Promise<SharingMember> => {
    const org = await makeOrg(s, { status });
    return { org, ...(await memberWithToken(s, org.id, { roles: ['analyst'] })) };
  };
  const A = await mk();
  const B = await mk();
  const C = await mk();
  const D = await mk('pending');
  const g = await A.api.post('/api/v1/groups', { name: 'A and B', orgIds: [B.org.id] });
  assert.equal(g.status, 201, JSON.stringify(g.body));
  return { s, A, B, C, D, groupAB: g.body.id };
}

/** Shares objects through POST /api/v1/intel and returns the (200) reply's body. */
export async function share(
  api: Client,
  objects: unknown[],
  distribution: unknown,
  tlp?: Tlp,
): Promise<Json> {
  const r = await api.post('/api/v1/intel', {
    objects,
    distribution,
    ...(tlp === undefined ? {} : { tlp }),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/** Asserts get, versions and relationships of `id` answer exactly as for a missing object. */
export async function assertHidden(api: Client, id: string): Promise<void> {
  const missing = await api.get(`/api/v1/intel/indicator--00000000-0000-4000-8000-000000000000`);
  for (const path of [
    `/api/v1/intel/${id}`,
    `/api/v1/intel/${id}/versions`,
    `/api/v1/intel/${id}/relationships`,
  ]) {
    const r = await api.get(path);
    assertError(r, 404, 'NOT_FOUND');
    assert.deepEqual(
      { code: r.body.code, message: r.body.message, error: r.body.error },
      { code: missing.body.code, message: missing.body.message, error: missing.body.error },
      'invisible is exactly like missing',
    );
  }
}
