// Intel REST API (issue 4, docs/sharing.md): delete, relays, sharing groups and exports (STIX
// bundle, CSV, blocklists, ?token= polling).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { listObjects } from '../../src/features/intel/index.ts';
import { assertError, auditMark, makeOrg, memberWithToken } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import {
  assertHidden,
  indicator,
  memberContext,
  observable,
  type SharingMember,
  share,
  startSharingWorld,
} from '../support/intel.ts';
import type { TestServer } from '../support/server.ts';

// biome-ignore lint/suspicious/noExplicitAny: REST replies are JSON inspected dynamically
type Json = any;

describeEachEngine('intel REST API: delete, relays, sharing groups, exports', (engine) => {
  let s: TestServer;
  let A: SharingMember;
  let B: SharingMember;
  let C: SharingMember;
  let D: SharingMember;
  let groupAB: string;
  before(async () => {
    ({ s, A, B, C, D, groupAB } = await startSharingWorld(engine));
  });
  after(async () => s.close());

  it('delete: own objects (all versions or one); others are 404 and unchanged', async () => {
    const id = indicator().id as string;
    const v1 = indicator({ id, tlp: 'green', modified: '2026-02-01T00:00:00.000Z', name: 'd1' });
    const v2 = indicator({ id, tlp: 'green', modified: '2026-03-01T00:00:00.000Z', name: 'd2' });
    await share(A.api, [v1, v2], { kind: 'community' });
    // B sees it but cannot delete it; nor can anyone delete a missing object.
    assert.equal((await B.api.get(`/api/v1/intel/${id}`)).status, 200);
    assertError(await B.api.delete(`/api/v1/intel/${id}`), 404, 'NOT_FOUND');
    assertError(await B.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`), 404, 'NOT_FOUND');
    assertError(
      await A.api.delete('/api/v1/intel/indicator--00000000-0000-4000-8000-000000000000'),
      404,
      'NOT_FOUND',
    );
    assert.equal((await B.api.get(`/api/v1/intel/${id}/versions`)).body.items.length, 2);
    // One version.
    const mark = await auditMark(s);
    assert.equal((await A.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`)).status, 204);
    assert.equal((await B.api.get(`/api/v1/intel/${id}`)).body.object.name, 'd1');
    assert.equal((await A.api.get(`/api/v1/intel/${id}`)).body.object.name, 'd1');
    assertError(await A.api.delete(`/api/v1/intel/${id}?version=2026-03-01T00:00:00.000Z`), 404, 'NOT_FOUND');
    assertError(await A.api.delete(`/api/v1/intel/${id}?version=not-a-time`), 400, 'VALIDATION_FAILED');
    // All versions.
    assert.equal((await A.api.delete(`/api/v1/intel/${id}`)).status, 204);
    await assertHidden(A.api, id);
    await assertHidden(B.api, id);
    const bundle = await B.api.get('/api/v1/exports/stix');
    assert.equal(bundle.body.objects.filter((o: Json) => o.id === id).length, 0);
    const events = (await mark()).filter((e) => e.action === 'intel.delete');
    assert.equal(events.length, 2);
  });

  it('relays: RED and AMBER+STRICT never; a recipient relays into its own group; the rule still applies', async () => {
    const gBC = await B.api.post('/api/v1/groups', { name: 'B and C', orgIds: [C.org.id] });
    assert.equal(gBC.status, 201);
    const toGroup = { distribution: { kind: 'group', groupId: gBC.body.id } };
    const red = indicator({ tlp: 'red' });
    const strict = indicator({ tlp: 'amber+strict' });
    const green = indicator({ tlp: 'green' });
    const amberToB = indicator({ tlp: 'amber' });
    await share(A.api, [red, amberToB, strict], { kind: 'orgs', orgIds: [B.org.id] });
    await share(A.api, [green], { kind: 'community' });
    assertError(await B.api.post(`/api/v1/intel/${red.id}/relay`, toGroup), 403, 'FORBIDDEN');
    assertError(await B.api.post(`/api/v1/intel/${strict.id}/relay`, toGroup), 403, 'FORBIDDEN');
    // Only into a sharing group; never wider.
    assertError(
      await B.api.post(`/api/v1/intel/${green.id}/relay`, { distribution: { kind: 'public' } }),
      403,
      'FORBIDDEN',
    );
    assertError(
      await B.api.post(`/api/v1/intel/${amberToB.id}/relay`, { distribution: { kind: 'community' } }),
      403,
      'FORBIDDEN',
    );
    // Not a member of the group: 404; an invisible object: 404; one's own object: 409.
    assertError(
      await C.api.post(`/api/v1/intel/${green.id}/relay`, {
        distribution: { kind: 'group', groupId: groupAB },
      }),
      404,
      'NOT_FOUND',
    );
    assertError(await C.api.post(`/api/v1/intel/${amberToB.id}/relay`, toGroup), 404, 'NOT_FOUND');
    assertError(
      await A.api.post(`/api/v1/intel/${green.id}/relay`, {
        distribution: { kind: 'group', groupId: groupAB },
      }),
      409,
      'CONFLICT',
    );

    const mark = await auditMark(s);
    assert.equal((await B.api.post(`/api/v1/intel/${green.id}/relay`, toGroup)).status, 204);
    assert.equal((await B.api.post(`/api/v1/intel/${amberToB.id}/relay`, toGroup)).status, 204);
    assert.equal((await mark()).filter((e) => e.action === 'intel.relay').length, 2);
    // The relay never widens: C (a group member) still cannot see the AMBER object shared with B only.
    await assertHidden(C.api, amberToB.id as string);
    assert.equal((await C.api.get(`/api/v1/intel/${green.id}`)).status, 200);
    // In the group's collection (the service's view of it): both for B, only GREEN for C.
    const coll = { collection: { kind: 'group' as const, groupId: gBC.body.id }, limit: 100 };
    const forB = await listObjects(await memberContext(s, B.token), coll);
    assert.deepEqual(new Set(forB.items.map((v) => v.stixId)), new Set([green.id, amberToB.id]));
    const forC = await listObjects(await memberContext(s, C.token), coll);
    assert.deepEqual(
      forC.items.map((v) => v.stixId),
      [green.id],
    );
  });

  it('sharing groups: CRUD for the owner, read for members, 404 for others, 403 for non-owners', async () => {
    const created = await A.api.post('/api/v1/groups', { name: 'Regional', orgIds: [B.org.id] });
    assert.equal(created.status, 201);
    const g = created.body;
    assert.equal(g.ownerOrgId, A.org.id);
    assert.deepEqual(g.orgIds, [A.org.id, B.org.id].sort());
    assert.ok((await B.api.get('/api/v1/groups')).body.items.some((x: Json) => x.id === g.id));
    assert.ok(!(await C.api.get('/api/v1/groups')).body.items.some((x: Json) => x.id === g.id));
    assert.equal((await B.api.get(`/api/v1/groups/${g.id}`)).status, 200);
    const missing = await C.api.get('/api/v1/groups/grp_00000000-0000-4000-8000-000000000000');
    for (const r of [
      await C.api.get(`/api/v1/groups/${g.id}`),
      await C.api.patch(`/api/v1/groups/${g.id}`, { name: 'mine now' }),
      await C.api.delete(`/api/v1/groups/${g.id}`),
      await D.api.get(`/api/v1/groups/${g.id}`),
    ]) {
      assertError(r, 404, 'NOT_FOUND');
      assert.equal(r.body.message, missing.body.message);
    }
    assertError(await B.api.patch(`/api/v1/groups/${g.id}`, { name: 'mine now' }), 403, 'FORBIDDEN');
    assertError(await B.api.delete(`/api/v1/groups/${g.id}`), 403, 'FORBIDDEN');
    // C cannot share into a group it is not in.
    assertError(
      await C.api.post('/api/v1/intel', {
        objects: [indicator()],
        distribution: { kind: 'group', groupId: g.id },
      }),
      404,
      'NOT_FOUND',
    );
    // Bad members: pending organizations, unknown ids, empty names, unknown fields.
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: [D.org.id] }),
      400,
      'VALIDATION_FAILED',
    );
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: ['org_nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    assertError(await A.api.post('/api/v1/groups', { name: '', orgIds: [] }), 400, 'VALIDATION_FAILED');
    assertError(
      await A.api.post('/api/v1/groups', { name: 'x', orgIds: [], owner: B.org.id }),
      400,
      'VALIDATION_FAILED',
    );
    // Owner updates: rename, add C; the owner always stays a member.
    const upd = await A.api.patch(`/api/v1/groups/${g.id}`, { name: 'Regional 2', orgIds: [C.org.id] });
    assert.equal(upd.status, 200, JSON.stringify(upd.body));
    assert.equal(upd.body.name, 'Regional 2');
    assert.deepEqual(upd.body.orgIds, [A.org.id, C.org.id].sort());
    assert.equal((await C.api.get(`/api/v1/groups/${g.id}`)).status, 200);
    assertError(await B.api.get(`/api/v1/groups/${g.id}`), 404, 'NOT_FOUND');
    // In use: 409; after the object is deleted, the group can go.
    const o = indicator({ tlp: 'amber' });
    await share(A.api, [o], { kind: 'group', groupId: g.id });
    assert.equal((await C.api.get(`/api/v1/intel/${o.id}`)).status, 200);
    assertError(await A.api.delete(`/api/v1/groups/${g.id}`), 409, 'CONFLICT');
    assert.equal((await A.api.delete(`/api/v1/intel/${o.id}`)).status, 204);
    assert.equal((await A.api.delete(`/api/v1/groups/${g.id}`)).status, 204);
    assertError(await A.api.get(`/api/v1/groups/${g.id}`), 404, 'NOT_FOUND');
    // Read-only roles of the owner organization cannot manage groups.
    const viewer = await memberWithToken(s, A.org.id, { roles: ['auditor'] });
    const byViewer = await viewer.api.post('/api/v1/groups', { name: 'nope', orgIds: [] });
    assert.ok(byViewer.status === 403 || byViewer.status === 400, JSON.stringify(byViewer.body));
  });

  it('exports: STIX bundle, CSV without formula injection, blocklists per kind, ?token= polling', async () => {
    const F = await makeOrg(s);
    const f = await memberWithToken(s, F.id);
    const G = await makeOrg(s);
    const g = await memberWithToken(s, G.id);
    const ip = observable('ipv4-addr', '203.0.113.77', 'green');
    const dom = observable('domain-name', 'evil.example', 'green');
    const url = observable('url', 'http://evil.example/a?b=1', 'green');
    const hash = observable('file', 'AB'.repeat(32), 'green');
    const ind = indicator({
      tlp: 'amber',
      name: "=cmd|' /C calc'!A0",
      description: '+SUM(1,2)',
      pattern: "[ipv4-addr:value = '192.0.2.55'] OR [domain-name:value = 'bad.example']",
    });
    const formula2 = indicator({
      tlp: 'amber',
      name: '@HYPERLINK("http://x","y"), "quoted"',
      pattern: "[ipv4-addr:value = '203.0.113.77']",
    });
    // Whitespace in a value would inject a second entry for parsers that split on it: refused.
    const injection = indicator({ tlp: 'amber', pattern: "[domain-name:value = 'inj.example google.com']" });
    const secretIp = indicator({ tlp: 'red', pattern: "[ipv4-addr:value = '192.0.2.99']" });
    const otherOrg = indicator({ tlp: 'amber', pattern: "[ipv4-addr:value = '192.0.2.100']" });
    const shared = await share(f.api, [ip, dom, url, hash, ind, formula2, injection], {
      kind: 'orgs',
      orgIds: [G.id],
    });
    assert.deepEqual(
      shared.failures.map((x: Json) => [x.index, x.code]),
      [[6, 'INVALID_STIX']],
    );
    await share(f.api, [secretIp], { kind: 'orgs', orgIds: [B.org.id] });
    await share(B.api, [otherOrg], { kind: 'orgs', orgIds: [C.org.id] });
    const org = `org=${F.id}`;

    const bundle = await g.api.get(`/api/v1/exports/stix?${org}`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^application\/stix\+json/);
    assert.equal(bundle.body.type, 'bundle');
    assert.match(bundle.body.id, /^bundle--/);
    assert.deepEqual(
      new Set(bundle.body.objects.map((o: Json) => o.id)),
      new Set([ip.id, dom.id, url.id, hash.id, ind.id, formula2.id]),
    );
    assert.deepEqual(
      bundle.body.objects.find((o: Json) => o.id === ind.id),
      ind,
      'exported exactly as shared',
    );

    const csv = await g.api.get(`/api/v1/exports/csv?${org}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const text = csv.body as string;
    const lines = text.split('\r\n').filter(Boolean);
    assert.equal(lines.length, 7);
    for (const line of lines) {
      // No cell begins with a formula character (cells may be quoted).
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) {
        assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@]/, line);
      }
    }
    assert.ok(text.includes(`'=cmd|' /C calc'!A0`), text);
    assert.ok(text.includes(`"'@HYPERLINK(""http://x"",""y""), ""quoted"""`), text);

    const list = async (kind: string) => {
      const r = await g.api.get(`/api/v1/exports/blocklist?kind=${kind}&${org}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
      // In the order first seen (objects oldest first), so compared as sets.
      return (r.body as string).split('\n').filter(Boolean).sort();
    };
    assert.deepEqual(await list('ip'), ['192.0.2.55', '203.0.113.77']);
    assert.deepEqual(await list('domain'), ['bad.example', 'evil.example']);
    assert.deepEqual(await list('url'), ['http://evil.example/a?b=1']);
    assert.deepEqual(await list('hash'), ['ab'.repeat(32)]);
    assertError(await g.api.get('/api/v1/exports/blocklist?kind=asn'), 400, 'VALIDATION_FAILED');

    // A device polls with ?token= (no headers); invisible objects never appear in any export.
    for (const path of ['/api/v1/exports/blocklist?kind=ip', '/api/v1/exports/stix', '/api/v1/exports/csv']) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await fetch(`${s.url}${path}${sep}token=${encodeURIComponent(g.token)}`);
      assert.equal(r.status, 200);
      const body = await r.text();
      assert.ok(body.includes('203.0.113.77') || body.includes(ip.id as string), path);
      for (const hidden of ['192.0.2.99', '192.0.2.100', secretIp.id as string, otherOrg.id as string])
        assert.ok(!body.includes(hidden), `${path} leaks ${hidden}`);
      // Without a token it is the public export (issue 11 §5): none of these objects is public.
      const noToken = await fetch(`${s.url}${path}`);
      assert.equal(noToken.status, 200);
      const open = await noToken.text();
      for (const hidden of ['203.0.113.77', ip.id as string, '192.0.2.99', '192.0.2.100'])
        assert.ok(!open.includes(hidden), `anonymous ${path} leaks ${hidden}`);
      const badToken = await fetch(`${s.url}${path}${sep}token=tbl_not-a-token`);
      assert.equal(badToken.status, 401);
    }
    // C sees B's object but not F's.
    const cIps = await C.api.get('/api/v1/exports/blocklist?kind=ip');
    assert.ok((cIps.body as string).includes('192.0.2.100'));
    assert.ok(!(cIps.body as string).includes('203.0.113.77'));
    // An export is audited.
    const mark = await auditMark(s);
    await B.api.get('/api/v1/exports/stix');
    assert.ok((await mark()).some((e) => e.action === 'intel.export'));
  });
});
