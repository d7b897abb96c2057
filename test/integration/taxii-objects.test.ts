import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { orgIdentityId } from '../../src/features/intel/index.ts';
import { auditMark, makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { assertTaxiiError, indicator, ROOT, TaxiiClient } from '../support/taxii.ts';

describeEachEngine('TAXII 2.1 server: objects, status, manifest, versions, delete', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  async function analyst() {
    const org = await makeOrg(s);
    const m = await memberWithToken(s, org.id);
    const taxii = TaxiiClient.basic(s, m.email, m.token);
    const own = await taxii.collectionTitled(org.name);
    return { org, ...m, taxii, own, objects: `${ROOT}/collections/${own}/objects/` };
  }

  it('adds a mixed envelope: valid objects kept, invalid ones failures with a coded message', async () => {
    const a = await analyst();
    const good = [indicator(), indicator({ tlp: 'red' })];
    const invalid = { type: 'indicator', spec_version: '2.1', id: 'indicator--not-a-uuid' };
    const forged = indicator({ name: 'forged' });
    // Attributed to another member organization: refused, nothing is ever attributed to another.
    forged.created_by_ref = orgIdentityId((await makeOrg(s)).id);
    const status = await a.taxii.add(a.own, [good[0], invalid, 42, forged, good[1]]);
    assert.equal(status.total_count, 5);
    assert.equal(status.success_count, 2);
    assert.equal(status.failure_count, 3);
    assert.equal(status.pending_count, 0);
    assert.deepEqual(
      status.successes.map((d: { id: string }) => d.id),
      good.map((o) => o.id),
    );
    assert.deepEqual(
      status.failures.map((d: { id: string; message: string }) => [d.id, d.message.split(':')[0]]),
      [
        ['indicator--not-a-uuid', 'INVALID_STIX'],
        ['objects[2]', 'INVALID_STIX'],
        [forged.id, 'FORGED_CREATED_BY'],
      ],
    );
    // The status stays readable by its organization, and only by it.
    const again = await a.taxii.get(`${ROOT}/status/${status.id}/`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, status);
    const colleague = await memberWithToken(s, a.org.id);
    const same = TaxiiClient.basic(s, colleague.email, colleague.token);
    assert.equal((await same.get(`${ROOT}/status/${status.id}/`)).status, 200);
    const b = await analyst();
    assertTaxiiError(await b.taxii.get(`${ROOT}/status/${status.id}/`), 404, 'NOT_FOUND');
    // Only the valid objects are stored.
    const listed = await a.taxii.get(a.objects);
    assert.deepEqual(
      listed.body.objects.map((o: { id: string }) => o.id),
      good.map((o) => o.id),
    );
  });

  it('records a status pending while it runs and complete after; a duplicate version is a failure', async () => {
    const a = await analyst();
    const o = indicator();
    const first = await a.taxii.add(a.own, [o]);
    const row = await s.db.kysely
      .selectFrom('taxii_statuses')
      .selectAll()
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'complete');
    assert.equal(row.org_id, a.org.id);
    const dup = await a.taxii.add(a.own, [o]);
    assert.equal(dup.failure_count, 1);
    assert.match(dup.failures[0].message, /^DUPLICATE_VERSION/);
    // A status still pending (as while a large envelope is processed) lists what is pending: its
    // chunk's part (issue 10 §2) is as it was before the chunk was done.
    await s.db.kysely
      .updateTable('taxii_status_parts')
      .set({
        pending_count: 1,
        success_count: 0,
        successes: '[]',
        pendings: JSON.stringify([{ id: o.id, version: o.modified }]),
      })
      .where('status_id', '=', first.id)
      .execute();
    const pending = await a.taxii.get(`${ROOT}/status/${first.id}/`);
    assert.equal(pending.body.status, 'pending');
    assert.deepEqual(pending.body.pendings, [{ id: o.id, version: o.modified }]);
    assert.deepEqual(
      [pending.body.total_count, pending.body.pending_count, pending.body.successes],
      [1, 1, []],
    );
    // An empty envelope is a complete status with nothing in it.
    const empty = await a.taxii.add(a.own, []);
    assert.equal(empty.total_count, 0);
  });

  it('refuses adds by read-only members with 403, before storing anything', async () => {
    const a = await analyst();
    const auditor = await memberWithToken(s, a.org.id, { roles: ['auditor'] });
    const t = TaxiiClient.basic(s, auditor.email, auditor.token);
    const listed = await t.collections();
    assert.ok(listed.every((c) => c.can_write === false && c.can_read === true));
    assertTaxiiError(await t.post(a.objects, { objects: [indicator()] }), 403, 'FORBIDDEN');
    assert.equal(
      (
        await s.db.kysely
          .selectFrom('taxii_statuses')
          .select('id')
          .where('member_id', '=', auditor.member.id)
          .execute()
      ).length,
      0,
    );
  });

  it('pages with limit and next, oldest first, with date headers; never a row twice', async () => {
    const a = await analyst();
    const sent = Array.from({ length: 7 }, () => indicator());
    for (const o of sent) await a.taxii.add(a.own, [o]);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await a.taxii.get(
        `${a.objects}?limit=3${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
      );
      assert.equal(r.status, 200);
      pages += 1;
      const ids = r.body.objects.map((o: { id: string }) => o.id);
      seen.push(...ids);
      const manifest = await a.taxii.get(
        `${ROOT}/collections/${a.own}/manifest/?limit=3${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`,
      );
      assert.deepEqual(
        manifest.body.objects.map((m: { id: string }) => m.id),
        ids,
      );
      assert.equal(r.headers.get('x-taxii-date-added-first'), manifest.body.objects[0].date_added);
      assert.equal(r.headers.get('x-taxii-date-added-last'), manifest.body.objects.at(-1).date_added);
      assert.equal(manifest.body.objects[0].media_type, 'application/stix+json;version=2.1');
      assert.equal(r.body.more, r.body.next !== undefined);
      next = r.body.next;
    } while (next !== undefined);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      sent.map((o) => o.id),
    );
    // added_after picks up where a page's last date_added left off.
    const firstPage = await a.taxii.get(`${a.objects}?limit=2`);
    const after2 = await a.taxii.get(
      `${a.objects}?added_after=${firstPage.headers.get('x-taxii-date-added-last')}`,
    );
    assert.deepEqual(
      after2.body.objects.map((o: { id: string }) => o.id),
      sent.slice(2).map((o) => o.id),
    );
    // Nothing left: an envelope without objects and without date headers.
    const none = await a.taxii.get(`${a.objects}?added_after=2999-01-01T00:00:00Z`);
    assert.deepEqual(none.body, { more: false });
    assert.equal(none.headers.get('x-taxii-date-added-first'), null);
  });

  it('filters by match[id], match[type], match[version], match[spec_version]', async () => {
    const a = await analyst();
    const id = indicator().id as string;
    const v1 = indicator({ id, modified: '2026-01-01T00:00:00.000Z' });
    const v2 = indicator({ id, modified: '2026-02-01T00:00:00.000Z' });
    const v3 = indicator({ id, modified: '2026-03-01T00:00:00.000Z' });
    const other = indicator();
    const campaign = {
      type: 'campaign',
      spec_version: '2.1',
      id: 'campaign--0f7e1c4e-3d2b-4a59-9c31-6b8e2a1d5f70',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Ballot phishing',
    };
    await a.taxii.add(a.own, [v1, v2, v3, other, campaign]);
    const ids = async (query: string) =>
      ((await a.taxii.get(`${a.objects}?${query}`)).body.objects ?? []).map(
        (o: { id: string; modified: string }) => `${o.id}@${o.modified}`,
      );
    assert.deepEqual(await ids(`match[id]=${id}`), [`${id}@${v3.modified}`]);
    assert.deepEqual(await ids(`match[id]=${id}&match[version]=first`), [`${id}@${v1.modified}`]);
    assert.deepEqual((await ids(`match[id]=${id}&match[version]=all`)).length, 3);
    assert.deepEqual(await ids(`match[id]=${id}&match[version]=${v2.modified}`), [`${id}@${v2.modified}`]);
    assert.deepEqual(await ids(`match[id]=${id}&match[version]=${v1.modified},${v3.modified}`), [
      `${id}@${v1.modified}`,
      `${id}@${v3.modified}`,
    ]);
    // Several values select the union (TAXII 2.1 §3.4.2).
    assert.deepEqual(await ids(`match[id]=${id}&match[version]=first,last`), [
      `${id}@${v1.modified}`,
      `${id}@${v3.modified}`,
    ]);
    assert.deepEqual((await ids(`match[id]=${id}&match[version]=last,${v2.modified}`)).sort(), [
      `${id}@${v2.modified}`,
      `${id}@${v3.modified}`,
    ]);
    assert.deepEqual(await ids(`match[version]=first,last&match[type]=campaign`), [
      `${campaign.id}@${campaign.modified}`,
    ]);
    assertTaxiiError(await a.taxii.get(`${a.objects}?match[version]=first,newest`), 400, 'VALIDATION_FAILED');
    assert.deepEqual(await ids('match[type]=campaign'), [`${campaign.id}@${campaign.modified}`]);
    assert.equal((await ids('match[type]=campaign,indicator')).length, 3);
    assert.equal((await ids(`match[id]=${id},${other.id}`)).length, 2);
    assert.equal((await ids('match[spec_version]=2.1')).length, 3);
    assert.equal((await ids('match[spec_version]=2.0')).length, 0);
    // One object: the latest by default, filters apply; versions oldest first.
    const one = await a.taxii.get(`${a.objects}${id}/`);
    assert.deepEqual(
      one.body.objects.map((o: { modified: string }) => o.modified),
      [v3.modified],
    );
    const all = await a.taxii.get(`${a.objects}${id}/?match[version]=all&limit=2`);
    assert.equal(all.body.objects.length, 2);
    assert.equal(all.body.more, true);
    const versions = await a.taxii.get(`${a.objects}${id}/versions/`);
    assert.deepEqual(versions.body, { more: false, versions: [v1.modified, v2.modified, v3.modified] });
    assert.ok(versions.headers.get('x-taxii-date-added-first'));
  });

  it('deletes one version with match[version], or all; only its owner; others see 404', async () => {
    const a = await analyst();
    const b = await analyst();
    const community = await a.taxii.collectionTitled('Community');
    const path = `${ROOT}/collections/${community}/objects/`;
    const id = indicator().id as string;
    const v1 = indicator({ id, modified: '2026-01-01T00:00:00.000Z', tlp: 'green' });
    const v2 = indicator({ id, modified: '2026-02-01T00:00:00.000Z', tlp: 'green' });
    await a.taxii.add(community, [v1, v2]);
    // b sees it but cannot delete it: 404, exactly like a missing object.
    assert.equal((await b.taxii.get(`${path}${id}/`)).status, 200);
    assertTaxiiError(await b.taxii.delete(`${path}${id}/`), 404, 'NOT_FOUND');
    assert.equal((await b.taxii.get(`${path}${id}/versions/`)).body.versions.length, 2);
    const r = await a.taxii.delete(`${path}${id}/?match[version]=${v1.modified}`);
    assert.equal(r.status, 200);
    assert.deepEqual((await b.taxii.get(`${path}${id}/versions/`)).body.versions, [v2.modified]);
    assertTaxiiError(await a.taxii.delete(`${path}${id}/?match[version]=${v1.modified}`), 404, 'NOT_FOUND');
    assert.equal((await a.taxii.delete(`${path}${id}/`)).status, 200);
    assertTaxiiError(await a.taxii.get(`${path}${id}/`), 404, 'NOT_FOUND');
    assertTaxiiError(await b.taxii.get(`${path}${id}/versions/`), 404, 'NOT_FOUND');
    assertTaxiiError(await a.taxii.delete(`${path}${id}/`), 404, 'NOT_FOUND');
  });

  it('records member pulls as taxii.pull audit events, without the content', async () => {
    const a = await analyst();
    await a.taxii.add(a.own, [indicator(), indicator()]);
    const since = await auditMark(s);
    await a.taxii.get(a.objects);
    const events = (await since()).filter((e) => e.action === 'taxii.pull');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.actor_org_id, a.org.id);
    assert.equal(events[0]?.subject_id, a.own);
    assert.deepEqual(JSON.parse(events[0]?.details ?? '{}').count, 2);
  });
});
