// Helpers for the TAXII 2.1 integration tests: a client that speaks the TAXII media type the way
// taxii2-client does (Accept and Content-Type `application/taxii+json;version=2.1`, HTTP Basic
// `<e-mail>:<token>`), and STIX objects to share.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../src/features/context.ts';
import { authenticateToken } from '../../src/features/membership/index.ts';
import { type Tlp, tlpMarkingId } from '../../src/policy/index.ts';
import type { Reply } from './client.ts';
import type { TestServer } from './server.ts';

export const TAXII = 'application/taxii+json;version=2.1';
export const ROOT = '/taxii2/api';

// biome-ignore lint/suspicious/noExplicitAny: TAXII replies are JSON inspected dynamically in tests
type Json = any;

export class TaxiiClient {
  constructor(
    readonly base: string,
    readonly authorization?: string,
  ) {}

  static basic(s: TestServer, email: string, token: string): TaxiiClient {
    return new TaxiiClient(s.url, `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`);
  }

  static anonymous(s: TestServer): TaxiiClient {
    return new TaxiiClient(s.url);
  }

  async call(
    method: string,
    path: string,
    o: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply<Json>> {
    const headers: Record<string, string> = { accept: TAXII, ...o.headers };
    if (o.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = TAXII;
    if (this.authorization !== undefined && headers.authorization === undefined)
      headers.authorization = this.authorization;
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // keep text
    }
    return { status: res.status, body, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.call('GET', path, headers === undefined ? {} : { headers });
  }

  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.call('POST', path, headers === undefined ? { body } : { body, headers });
  }

  delete(path: string) {
    return this.call('DELETE', path);
  }

  /** Adds objects to a collection and returns the (complete) status resource. */
  async add(collectionId: string, objects: readonly unknown[]): Promise<Json> {
    const r = await this.post(`${ROOT}/collections/${collectionId}/objects/`, { objects });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.status, 'complete', JSON.stringify(r.body));
    return r.body;
  }

  async collections(): Promise<Json[]> {
    const r = await this.get(`${ROOT}/collections/`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.collections ?? [];
  }

  async collectionTitled(title: string): Promise<string> {
    const found = (await this.collections()).find((c) => c.title === title);
    assert.ok(found, `no collection titled ${title}`);
    return found.id as string;
  }
}

/** Asserts a TAXII error message resource (TAXII 2.1 §3.6.1) with our code. */
export function assertTaxiiError(r: Reply<Json>, status: number, code: string): void {
  const what = JSON.stringify(r.body);
  assert.equal(r.status, status, what);
  assert.match(r.headers.get('content-type') ?? '', /^application\/taxii\+json;\s*version=2\.1/);
  assert.equal(r.body.http_status, String(status), what);
  assert.equal(r.body.error_code, code, what);
  assert.equal(typeof r.body.title, 'string', what);
  assert.equal(typeof r.body.description, 'string', what);
}

export interface IndicatorOptions {
  readonly id?: string;
  readonly tlp?: Tlp;
  readonly modified?: string;
  readonly created?: string;
  readonly name?: string;
  readonly markings?: readonly string[];
}

let counter = 0;

/** A valid STIX 2.1 indicator; TLP as a TLP 2.0 marking when given. */
export function indicator(o: IndicatorOptions = {}): Record<string, unknown> {
  counter += 1;
  const created = o.created ?? '2026-01-01T00:00:00.000Z';
  const markings = o.markings ?? (o.tlp === undefined ? undefined : [tlpMarkingId(o.tlp)]);
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: o.id ?? `indicator--${randomUUID()}`,
    created,
    modified: o.modified ?? created,
    name: o.name ?? `Indicator ${counter}`,
    pattern: `[ipv4-addr:value = '198.51.100.${counter % 250}']`,
    pattern_type: 'stix',
    valid_from: created,
    ...(markings === undefined ? {} : { object_marking_refs: markings }),
  };
}

/** A service context acting as the member who owns this token (to arrange groups through the service). */
export async function memberContext(s: TestServer, token: string): Promise<ServiceContext> {
  const principal = await authenticateToken(s.cli, token);
  return { ...s.cli, actor: principal.actor };
}
