// The transparency log as served (issue 5): actions from the API and from the CLI-actor services are
// sequenced into a C2SP tlog-tiles log that an outside verifier accepts over HTTP; receipts verify
// offline; the audit trail is scoped to who may read it; witnesses cosign and the log serves their
// cosignatures.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { canonicalJson } from '../../src/core/canonical-json.ts';
import { recordAudit } from '../../src/features/audit/record.ts';
import { detailsDigest } from '../../src/features/transparency/entry.ts';
import {
  cosignerFromKey,
  entriesPath,
  fetchEntryBundle,
  formatCheckpoint,
  formatSignatureLine,
  generateCosignerKey,
  hashLeaf,
  noteVerifierFromKey,
  openCheckpoint,
  TILE_WIDTH,
  tilePath,
  verifyInclusion,
} from '../../src/tlog/index.ts';
import {
  assertError,
  auditMark,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  startWithOperator,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import type { Reply } from '../support/client.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { fetchText, httpLogFetch, servedCheckpoint, servedVkey, verifyServedLog } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';

interface Page {
  readonly items: { id: string; actorOrgId: string | null }[];
  readonly next: string | null;
}

interface LoggedEntry {
  readonly v: number;
  readonly id: string;
  readonly action: string;
  readonly actor: { readonly type: string; readonly id: string | null; readonly org: string | null };
  readonly digest: string;
}

describeEachEngine('transparency log', (engine) => {
  let s: TestServer;
  let vkey: string;
  before(async () => {
    s = await startWithOperator(engine);
    vkey = await servedVkey(s.url);
  });
  after(async () => s.close());

  /** Every entry of the served log, in order, parsed and checked to be canonical JSON. */
  async function servedEntries(size: number): Promise<LoggedEntry[]> {
    const fetchLog = httpLogFetch(`${s.url}/log`);
    const out: LoggedEntry[] = [];
    for (let index = 0; index * TILE_WIDTH < size; index++) {
      const width = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
      for (const bytes of await fetchEntryBundle(fetchLog, index, width)) {
        const text = Buffer.from(bytes).toString('utf8');
        const parsed = JSON.parse(text) as LoggedEntry;
        assert.equal(canonicalJson(parsed), text, 'a log entry is RFC 8785 canonical JSON');
        out.push(parsed);
      }
    }
    return out;
  }

  async function eventCount(): Promise<number> {
    const row = await s.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function fillLog(n: number): Promise<void> {
    await s.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++)
        await recordAudit(trx, s.cli, {
          action: 'audit.search',
          subjectType: 'instance',
          subjectId: null,
          details: { filler: i },
        });
    });
  }

  it('logs actions from the API and from the CLI in a log an outside verifier accepts over HTTP', async () => {
    const since = await auditMark(s);
    const op = await operatorAdmin(s);
    const created = await op.api.post('/api/v1/orgs', {
      name: unique('Logged County'),
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201);
    const orgId: string = created.body.id;
    assert.equal((await op.api.patch(`/api/v1/orgs/${orgId}`, { status: 'vetted' })).status, 200);
    const admin = await memberWithToken(s, orgId, { roles: ['admin'] });
    const invited = await admin.api.post(`/api/v1/orgs/${orgId}/members`, {
      email: uniqueEmail(),
      roles: ['analyst'],
    });
    assert.equal(invited.status, 201);
    const token = await admin.api.post('/api/v1/tokens', { name: 'collector' });
    assert.equal(token.status, 201);
    assert.equal((await admin.api.delete(`/api/v1/tokens/${token.body.id}`)).status, 204);
    const cliOrg = await makeOrg(s);

    const rows = await since();
    const seen = new Set(rows.map((r) => `${r.action}/${r.actor_type}`));
    for (const want of [
      'org.create/token',
      'org.status/token',
      'member.invite/token',
      'token.create/token',
      'token.revoke/token',
      'org.create/cli',
      'member.invite/cli',
      'token.create/cli',
    ])
      assert.ok(seen.has(want), `${want} recorded (got ${[...seen].join(', ')})`);
    assert.ok(rows.some((r) => r.subject_id === cliOrg.id));
    const waiting = await s.db.kysely
      .selectFrom('audit_events')
      .select('log_index')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    assert.ok(
      waiting.every((r) => r.log_index === null),
      'nothing is sequenced before the sequencer runs',
    );

    assert.ok((await s.app.tabellaLog.flush()) >= rows.length);
    const result = await verifyServedLog(s.url, { vkey });
    const total = await eventCount();
    assert.equal(result.checkpoint.size, total, 'every event recorded so far is in the log');
    assert.equal(result.entriesChecked, total);
    assert.equal(result.checkpoint.origin, s.config.instanceName);

    const indexed = await s.db.kysely
      .selectFrom('audit_events')
      .select(['id', 'action', 'log_index'])
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const entries = await servedEntries(result.checkpoint.size);
    for (const row of indexed) {
      assert.notEqual(row.log_index, null, `${row.id} has a log index`);
      const entry = entries[row.log_index as number];
      assert.ok(entry !== undefined);
      assert.equal(entry.id, row.id);
      assert.equal(entry.action, row.action);
      assert.match(entry.digest, /^sha256:[0-9a-f]{64}$/);
    }
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'no event is logged twice');
  });

  it('serves full tiles and bundles as immutable, partial ones not; unknown or non-canonical paths are 404', async () => {
    const before = await eventCount();
    await fillLog(Math.max(0, 300 - before));
    await s.app.tabellaLog.flush();
    const { checkpoint } = await verifyServedLog(s.url, { vkey });
    const size = checkpoint.size;
    assert.ok(size >= TILE_WIDTH && size < 2 * TILE_WIDTH, `size ${size}`);
    const rest = size - TILE_WIDTH;

    const checkpointRes = await fetch(`${s.url}/log/checkpoint`);
    assert.equal(checkpointRes.status, 200);
    assert.doesNotMatch(checkpointRes.headers.get('cache-control') ?? '', /immutable/);

    for (const path of [tilePath({ level: 0, index: 0, width: TILE_WIDTH }), entriesPath(0, TILE_WIDTH)]) {
      const res = await fetch(`${s.url}/log/${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/, path);
      await res.arrayBuffer();
    }
    const partials = [tilePath({ level: 1, index: 0, width: 1 })];
    if (rest > 0) partials.push(tilePath({ level: 0, index: 1, width: rest }), entriesPath(1, rest));
    for (const path of partials) {
      const res = await fetch(`${s.url}/log/${path}`);
      assert.equal(res.status, 200, path);
      assert.doesNotMatch(res.headers.get('cache-control') ?? '', /immutable/, path);
      await res.arrayBuffer();
    }

    for (const path of [
      'tile/0/0', // index not zero-padded
      'tile/0/00', // index not three digits
      'tile/0/000.p/0', // empty partial tile
      'tile/0/000.p/256', // a full tile is never named as partial
      'tile/0/000.p/05', // width not canonical
      'tile/0/x000/000', // leading x000 segment
      'tile/0/999', // beyond the log
      'tile/0/x001/000',
      `tile/0/001.p/${rest + 1}`, // wider than the log holds
      'tile/7/000', // no such level
      'tile/entries/999',
      `tile/entries/001.p/${rest + 1}`,
      'tile/entries/000.p/0',
      'tile/abc',
      'tile/-1/000',
      'tile/0/000/extra',
    ]) {
      const r = await new Client(s.url).get(`/log/${path}`);
      assertError(r, 404, 'NOT_FOUND');
    }
  });

  it('issues receipts that verify offline with only the log key; before sequencing, 409 EVENT_NOT_LOGGED', async () => {
    const op = await operatorAdmin(s);
    const since = await auditMark(s);
    const created = await op.api.post('/api/v1/orgs', {
      name: unique('Receipt County'),
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201);
    const event = (await since()).find((r) => r.action === 'org.create');
    assert.ok(event);

    assertError(await op.api.get(`/api/v1/audit/events/${event.id}/receipt`), 409, 'EVENT_NOT_LOGGED');
    await s.app.tabellaLog.flush();
    const r = await op.api.get(`/api/v1/audit/events/${event.id}/receipt`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const receipt = r.body;
    assert.equal(receipt.format, 'tabella-receipt/v1');
    assert.equal(receipt.event.id, event.id);

    // Offline: the checkpoint signature, the inclusion proof, the details digest.
    const { checkpoint } = openCheckpoint(receipt.checkpoint, [noteVerifierFromKey(vkey)]);
    assert.equal(checkpoint.size, receipt.treeSize);
    const proof = (receipt.inclusionProof as string[]).map((h) => Buffer.from(h, 'base64'));
    verifyInclusion(
      hashLeaf(Buffer.from(receipt.entry, 'utf8')),
      receipt.leafIndex,
      receipt.treeSize,
      proof,
      checkpoint.rootHash,
    );
    const entry = JSON.parse(receipt.entry) as LoggedEntry;
    assert.equal(entry.id, event.id);
    assert.equal(entry.digest, detailsDigest(receipt.salt, canonicalJson(receipt.event.details)));
    assert.equal(receipt.event.logIndex, receipt.leafIndex);
    // The entry is the one the public log holds at that index.
    const logged = await servedEntries(receipt.treeSize);
    assert.equal(canonicalJson(logged[receipt.leafIndex]), receipt.entry);

    // A changed detail no longer matches the logged digest.
    const changed = { ...receipt.event.details, name: 'Someone Else' };
    assert.notEqual(entry.digest, detailsDigest(receipt.salt, canonicalJson(changed)));

    assertError(await op.api.get('/api/v1/audit/events/evt_nope/receipt'), 404, 'NOT_FOUND');
  });

  it('shows each reader only the events they may read', async () => {
    const op = await operatorAdmin(s);
    const orgA = await makeOrg(s);
    const adminA = await memberWithToken(s, orgA.id, { roles: ['admin'] });
    const analystA = await memberWithToken(s, orgA.id, { roles: ['analyst'] });
    // Everything done by or to organization B, which A's admin must never see.
    const sinceB = await auditMark(s);
    const orgB = await makeOrg(s);
    const adminB = await memberWithToken(s, orgB.id, { roles: ['admin'] });
    const tokenB = await adminB.api.post('/api/v1/tokens', { name: 'b' });
    assert.equal(tokenB.status, 201);
    assert.equal((await adminB.api.delete(`/api/v1/tokens/${tokenB.body.id}`)).status, 204);
    const foreign = new Set((await sinceB()).map((r) => r.id));
    const since = await auditMark(s);
    assert.equal((await adminA.api.post('/api/v1/tokens', { name: 'a' })).status, 201);
    assert.equal((await adminB.api.post('/api/v1/tokens', { name: 'b2' })).status, 201);
    const rows = await since();
    const eventA = rows.find((r) => r.actor_org_id === orgA.id);
    const eventB = rows.find((r) => r.actor_org_id === orgB.id);
    assert.ok(eventA && eventB);
    foreign.add(eventB.id);
    await s.app.tabellaLog.flush();

    async function allPages(c: Client, query: string): Promise<{ id: string; actorOrgId: string | null }[]> {
      const items: { id: string; actorOrgId: string | null }[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const r: Reply<Page> = await c.get<Page>(
          `/api/v1/audit/events?limit=500${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        items.push(...r.body.items);
        cursor = r.body.next;
        if (cursor === null) return items;
      }
      throw new Error('too many pages');
    }

    const everything = await allPages(op.api, '');
    const ids = new Set(everything.map((e) => e.id));
    assert.ok(ids.has(eventA.id) && ids.has(eventB.id), 'the operator admin reads every organization');
    assert.ok(
      everything.some((e) => e.actorOrgId === null),
      'and the CLI actor’s events',
    );

    const ofA = await allPages(adminA.api, '');
    assert.ok(
      ofA.some((e) => e.id === eventA.id),
      'an organization admin reads their organization’s events',
    );
    assert.deepEqual(
      ofA.filter((e) => foreign.has(e.id) || e.actorOrgId === orgB.id),
      [],
      'and nothing done by or to another organization',
    );
    // Asking for another organization's events by filter does not widen the scope.
    const asked = await allPages(adminA.api, `&actor=${orgB.id}`);
    assert.deepEqual(asked, []);

    assertError(await analystA.api.get('/api/v1/audit/events'), 403, 'FORBIDDEN');
    assertError(await analystA.api.get(`/api/v1/audit/events/${eventA.id}/receipt`), 404, 'NOT_FOUND');
    assertError(await adminA.api.get(`/api/v1/audit/events/${eventB.id}/receipt`), 404, 'NOT_FOUND');
    assert.equal((await adminA.api.get(`/api/v1/audit/events/${eventA.id}/receipt`)).status, 200);
  });

  it('pages the audit trail with a keyset cursor; a cursor it did not issue is 400 VALIDATION_FAILED', async () => {
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const since = await auditMark(s);
      assert.equal((await admin.api.post('/api/v1/tokens', { name: `t${i}` })).status, 201);
      s.clock.advance(1000);
      for (const r of await since()) made.push(r.id);
    }
    assert.equal(made.length, 5);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/v1/audit/events?action=token.create&actor=${admin.member.id}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const r = await admin.api.get<{ items: { id: string }[]; next: string | null }>(q);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.items.length <= 2);
      seen.push(...r.body.items.map((e) => e.id));
      cursor = r.body.next;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...made].reverse(), 'newest first, each event once');

    for (const bad of [
      'not-a-cursor',
      Buffer.from('["2026-11-03T12:00:00.000Z"]').toString('base64url'),
      Buffer.from('{"at":1}').toString('base64url'),
    ])
      assertError(
        await admin.api.get(`/api/v1/audit/events?cursor=${encodeURIComponent(bad)}`),
        400,
        'VALIDATION_FAILED',
      );
  });

  it('takes witness keys only from oversight bodies and cosignatures only when they verify', async () => {
    const oversight = await makeOrg(s, { role: 'oversight', kind: 'government' });
    const witnessAdmin = await memberWithToken(s, oversight.id, { roles: ['admin'] });
    const oversightAnalyst = await memberWithToken(s, oversight.id, { roles: ['analyst'] });
    const otherOversight = await makeOrg(s, { role: 'oversight', kind: 'government' });
    const otherWitnessAdmin = await memberWithToken(s, otherOversight.id, { roles: ['admin'] });
    const county = await makeOrg(s);
    const countyAdmin = await memberWithToken(s, county.id, { roles: ['admin'] });

    const key = generateCosignerKey(`${unique('witness')}.example.org`);
    const cosigner = cosignerFromKey(key.signerKey);
    assertError(
      await countyAdmin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await oversightAnalyst.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey }),
      403,
      'FORBIDDEN',
    );
    for (const bad of ['not a key', vkey, `${key.verifierKey.slice(0, -4)}AAAA`])
      assertError(
        await witnessAdmin.api.post('/api/v1/audit/witnesses', { vkey: bad }),
        400,
        'INVALID_SIGNATURE',
      );

    const registered = await witnessAdmin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.body.vkey, key.verifierKey);
    assert.equal(registered.body.orgId, oversight.id);
    assert.equal(
      (await witnessAdmin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey })).status,
      200,
      'registering the same key again is a no-op (200, not 201)',
    );
    const takeover = await otherWitnessAdmin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey });
    assert.equal(takeover.status, 409, 'another organization cannot take over a registered key');
    assert.equal(takeover.body.code, 'CONFLICT');

    await s.app.tabellaLog.flush();
    const cp = await servedCheckpoint(s.url, vkey);
    const now = Math.floor(Date.now() / 1000);
    const good = formatSignatureLine(cosigner.cosign(formatCheckpoint(cp), now));

    const stranger = cosignerFromKey(generateCosignerKey(key.verifierKey.split('+')[0] as string).signerKey);
    const forgeries = [
      // same name, an unregistered key
      formatSignatureLine(stranger.cosign(formatCheckpoint(cp), now)),
      // the registered key over another checkpoint (a different root at the same size)
      formatSignatureLine(cosigner.cosign(formatCheckpoint({ ...cp, rootHash: Buffer.alloc(32, 7) }), now)),
      // the registered key over a smaller tree
      formatSignatureLine(cosigner.cosign(formatCheckpoint({ ...cp, size: cp.size - 1 }), now)),
      // one flipped byte of the good signature
      good.replace(/.(.)\n$/, (_m, last: string) => `${last === 'A' ? 'B' : 'A'}${last}\n`),
      // two lines
      `${good}${good}`,
      'not a signature line',
    ];
    for (const signature of forgeries)
      assertError(
        await witnessAdmin.api.post('/api/v1/audit/cosignatures', { size: cp.size, signature }),
        400,
        'INVALID_SIGNATURE',
      );
    // The right signature handed in by an organization the witness is not registered to.
    assertError(
      await otherWitnessAdmin.api.post('/api/v1/audit/cosignatures', { size: cp.size, signature: good }),
      400,
      'INVALID_SIGNATURE',
    );
    assertError(
      await countyAdmin.api.post('/api/v1/audit/cosignatures', { size: cp.size, signature: good }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await witnessAdmin.api.post('/api/v1/audit/cosignatures', { size: cp.size + 1000, signature: good }),
      404,
      'NOT_FOUND',
    );

    const accepted = await witnessAdmin.api.post('/api/v1/audit/cosignatures', {
      size: cp.size,
      signature: good,
    });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));

    // Served with that checkpoint, verifiable with the witness's key.
    const note = await fetchText(`${s.url}/log/checkpoint`);
    const opened = openCheckpoint(note, [noteVerifierFromKey(vkey), noteVerifierFromKey(key.verifierKey)]);
    assert.equal(opened.checkpoint.size, cp.size);
    assert.ok(
      opened.note.verified.some((sig) => sig.name === cosigner.name && sig.keyId === cosigner.keyId),
      'the checkpoint carries the witness cosignature',
    );
    assert.equal(opened.note.unverified.length, 0, 'no forged cosignature was kept');

    const log = await witnessAdmin.api.get('/api/v1/audit/log');
    assert.equal(log.status, 200);
    assert.equal(log.body.vkey, vkey);
    assert.equal(log.body.size, cp.size);
    const listed = log.body.witnesses.find((w: { vkey: string }) => w.vkey === key.verifierKey);
    assert.ok(listed, 'the witness is listed');
    assert.equal(listed.cosignedSize, cp.size);
    assert.equal(listed.orgId, oversight.id);
  });

  it('still serves a witnessed checkpoint with its cosignature after the sequencer runs again', async () => {
    // The cosignature hand-back is itself an audit event, so the next batch grows the log past the
    // cosigned size. A client that requires witness cosignatures must still be able to obtain them.
    const oversight = await makeOrg(s, { role: 'oversight', kind: 'government' });
    const witnessAdmin = await memberWithToken(s, oversight.id, { roles: ['admin'] });
    const key = generateCosignerKey(`${unique('witness')}.example.org`);
    const cosigner = cosignerFromKey(key.signerKey);
    assert.equal(
      (await witnessAdmin.api.post('/api/v1/audit/witnesses', { vkey: key.verifierKey })).status,
      201,
    );
    await s.app.tabellaLog.flush();
    const cp = await servedCheckpoint(s.url, vkey);
    const line = formatSignatureLine(cosigner.cosign(formatCheckpoint(cp), Math.floor(Date.now() / 1000)));
    assert.equal(
      (await witnessAdmin.api.post('/api/v1/audit/cosignatures', { size: cp.size, signature: line })).status,
      201,
    );
    await s.app.tabellaLog.flush();
    const note = await fetchText(`${s.url}/log/checkpoint`);
    const opened = openCheckpoint(note, [noteVerifierFromKey(vkey), noteVerifierFromKey(key.verifierKey)]);
    assert.ok(
      opened.note.verified.some((sig) => sig.keyId === cosigner.keyId),
      `the served checkpoint (size ${opened.checkpoint.size}) no longer carries the cosignature of size ${cp.size}`,
    );
  });
});
