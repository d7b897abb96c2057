// Issue 11 §3: names are stored normalized (NFKC), refuse invisible and bidirectional characters
// (400 NAME_INVALID_CHARACTERS), and an organization name that looks like another organization's is
// refused (409 NAME_CONFUSABLE) wherever a name is set: creation, applications, renames.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  anonymous,
  assertError,
  makeOrg,
  memberWithToken,
  operatorAdmin,
  PASSWORD,
  snapshot,
  startWithOperator,
  trustForwardedFor,
  unique,
  uniqueEmail,
} from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';

/** A fresh ASCII name: letters only, so the look-alike variants below are easy to make. */
const freshName = () => `Wake County Election ${unique('Board').replace(/[^a-z]/gi, 'x')}`;

describeEachEngine('organization and member names', (engine) => {
  let s: TestServer;
  before(async () => {
    trustForwardedFor();
    s = await startWithOperator(engine);
  });
  after(async () => s.close());

  const apply = (orgName: string, displayName = 'Ann Applicant') =>
    anonymous(s).post('/api/v1/applications', {
      organization: { name: orgName, kind: 'private', role: 'vendor' },
      applicant: { email: uniqueEmail(), displayName, password: PASSWORD },
    });

  it('stores names in NFKC with whitespace collapsed', async () => {
    const op = await operatorAdmin(s);
    const base = freshName();
    const fullwidth = [...base]
      .map((c) => (c === ' ' ? '\u3000' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0)))
      .join('');
    const created = await op.api.post('/api/v1/orgs', {
      name: `  ${fullwidth}  `,
      kind: 'government',
      role: 'election-office',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, base);
    const applied = await apply(`Cafe\u0301   ${freshName()}`, 'Zoe\u0308  Example');
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    assert.ok(applied.body.organization.name.startsWith('Café Wake County'));
    assert.equal(applied.body.member.displayName, 'Zoë Example');
  });

  it('refuses zero-width, bidirectional and other invisible characters with 400 NAME_INVALID_CHARACTERS, changing nothing', async () => {
    const op = await operatorAdmin(s);
    const org = await makeOrg(s);
    const admin = await memberWithToken(s, org.id, { roles: ['admin'] });
    const before = await snapshot(s);
    for (const bad of [
      'Wake\u200bCounty',
      '\u202eytnuoC ekaW',
      'Wake\u2066County\u2069',
      'Wa\u00adke',
      '\ufeffWake',
    ]) {
      assertError(
        await op.api.post('/api/v1/orgs', { name: bad, kind: 'government', role: 'election-office' }),
        400,
        'NAME_INVALID_CHARACTERS',
        ['name'],
      );
      assertError(await apply(bad), 400, 'NAME_INVALID_CHARACTERS', ['organization.name']);
      assertError(await apply(freshName(), bad), 400, 'NAME_INVALID_CHARACTERS', ['applicant.displayName']);
      assertError(
        await admin.api.patch(`/api/v1/orgs/${org.id}`, { name: bad }),
        400,
        'NAME_INVALID_CHARACTERS',
        ['name'],
      );
      assertError(
        await admin.api.patch(`/api/v1/members/${admin.member.id}`, { displayName: bad }),
        400,
        'NAME_INVALID_CHARACTERS',
        ['displayName'],
      );
      assertError(
        await admin.api.post(`/api/v1/orgs/${org.id}/members`, {
          email: uniqueEmail(),
          displayName: bad,
          roles: ['analyst'],
        }),
        400,
        'NAME_INVALID_CHARACTERS',
        ['displayName'],
      );
      assertError(await admin.api.post('/api/v1/tokens', { name: bad }), 400, 'NAME_INVALID_CHARACTERS', [
        'name',
      ]);
    }
    assert.deepEqual(await snapshot(s), before);
    assert.equal((await admin.api.get(`/api/v1/orgs/${org.id}`)).body.pendingRename, undefined);
  });

  it("refuses a name confusable with another organization's with 409 NAME_CONFUSABLE", async () => {
    const op = await operatorAdmin(s);
    const name = freshName();
    await makeOrg(s, { name });
    const lookAlikes = [
      name.toLowerCase(),
      name.replace(/ /g, '-'),
      name.replace('a', '\u0430'), // Cyrillic а
      name.replace('o', '\u03bf'), // Greek ο
      name.replace('l', 'I'),
      name.replace('o', '0'),
      `${name}.`,
      name.replace('e', 'é'),
    ];
    const before = await snapshot(s);
    for (const look of lookAlikes) {
      assertError(
        await op.api.post('/api/v1/orgs', { name: look, kind: 'private', role: 'vendor' }),
        409,
        'NAME_CONFUSABLE',
        ['name'],
      );
      assertError(await apply(look), 409, 'NAME_CONFUSABLE', ['organization.name']);
    }
    assertError(await apply(name), 409, 'ORG_NAME_TAKEN', ['organization.name']);
    assert.deepEqual(await snapshot(s), before);

    // Renames: the operator's own, and a vetted organization's request, are checked alike.
    const other = await makeOrg(s);
    const otherAdmin = await memberWithToken(s, other.id, { roles: ['admin'] });
    assertError(
      await op.api.patch(`/api/v1/orgs/${other.id}`, { name: lookAlikes[2] }),
      409,
      'NAME_CONFUSABLE',
      ['name'],
    );
    assertError(
      await otherAdmin.api.patch(`/api/v1/orgs/${other.id}`, { name: lookAlikes[3] }),
      409,
      'NAME_CONFUSABLE',
      ['name'],
    );
    assert.equal((await otherAdmin.api.get(`/api/v1/orgs/${other.id}`)).body.pendingRename, undefined);
    // An organization may restyle its own name (it needs the operator's approval, being vetted).
    const restyled = await otherAdmin.api.patch(`/api/v1/orgs/${other.id}`, {
      name: other.name.toUpperCase(),
    });
    assert.equal(restyled.status, 200);
    assert.equal(restyled.body.pendingRename.name, other.name.toUpperCase());
  });

  it('lets exactly one of concurrent look-alike creations through', async () => {
    const op = await operatorAdmin(s);
    const name = freshName();
    const variants = [
      name,
      name.toUpperCase(),
      name.replace('a', '\u0430'),
      name.replace(/ /g, '_'),
      name.toLowerCase(),
    ];
    const replies = await Promise.all(
      variants.map((n) => op.api.post('/api/v1/orgs', { name: n, kind: 'private', role: 'vendor' })),
    );
    assert.deepEqual(
      replies.map((r) => r.status).filter((x) => x === 201).length,
      1,
      JSON.stringify(replies.map((r) => r.body.code)),
    );
    for (const r of replies) if (r.status !== 201) assertError(r, 409, 'NAME_CONFUSABLE');
  });
});
