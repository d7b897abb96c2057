// Witnesses of the transparency log (issue 5): only oversight bodies register keys, only verifying
// cosignatures are taken, and the log keeps serving a witnessed checkpoint with its cosignature.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  cosignerFromKey,
  formatCheckpoint,
  formatSignatureLine,
  generateCosignerKey,
  noteVerifierFromKey,
  openCheckpoint,
} from '../../src/tlog/index.ts';
import { assertError, makeOrg, memberWithToken, startWithOperator, unique } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { fetchText, servedCheckpoint, servedVkey } from '../support/log.ts';
import type { TestServer } from '../support/server.ts';

describeEachEngine('transparency log witnesses', (engine) => {
  let s: TestServer;
  let vkey: string;
  before(async () => {
    s = await startWithOperator(engine);
    vkey = await servedVkey(s.url);
  });
  after(async () => s.close());

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
