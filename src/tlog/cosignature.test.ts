import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { formatCheckpoint, openCheckpoint, signCheckpoint } from './checkpoint.ts';
import {
  cosignatureMessage,
  cosignatureTimestamp,
  cosignerFromKey,
  cosignerFromSeed,
  generateCosignerKey,
} from './cosignature.ts';
import { TlogVerifyError } from './errors.ts';
import { hashLeaf } from './hash.ts';
import { formatSignatureLine, parseNote } from './note.ts';
import { generateNoteKey, noteSignerFromKey, noteVerifierFromKey } from './note-signer.ts';

// The example of C2SP tlog-cosignature.
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_NOTE = `${SPEC_BODY}
\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==
`;

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogVerifyError && e.code === code);
}

describe('cosignature/v1 format', () => {
  it('signs the message the spec shows', () => {
    assert.equal(
      cosignatureMessage(SPEC_BODY, 1679315147).toString('utf8'),
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it('reads the timestamp of the spec example cosignature', () => {
    const witness = parseNote(SPEC_NOTE).signatures[1];
    assert.equal(witness?.name, 'witness.example.com/w1');
    assert.equal(witness?.signature.byteLength, 72);
    assert.equal(cosignatureTimestamp(witness?.signature ?? new Uint8Array()), 1679315147);
  });

  it('derives the key ID with type byte 0x04', () => {
    const cosigner = cosignerFromSeed('witness.example/w1', Buffer.alloc(32, 7));
    const want = createHash('sha256')
      .update(Buffer.concat([Buffer.from('witness.example/w1\n'), Buffer.of(0x04), cosigner.publicKey]))
      .digest()
      .readUInt32BE(0);
    assert.equal(cosigner.keyId, want);
    assert.match(cosigner.verifierKey, /^witness\.example\/w1\+[0-9a-f]{8}\+B/);
  });
});

describe('witness cosigning', () => {
  const log = noteSignerFromKey(generateNoteKey('tabella.example/log').signerKey);
  const logVerifier = noteVerifierFromKey(log.verifierKey);
  const { signerKey, verifierKey } = generateCosignerKey('oversight.example/witness');
  const witness = cosignerFromKey(signerKey);
  const witnessVerifier = noteVerifierFromKey(verifierKey);
  const checkpoint = {
    origin: 'tabella.example/log',
    size: 7,
    rootHash: hashLeaf(Buffer.from('r')),
    extensions: [],
  };
  const signed = signCheckpoint(checkpoint, [log]);
  const cosigned = `${signed}${formatSignatureLine(witness.cosign(formatCheckpoint(checkpoint), 1_700_000_000))}`;

  it('produces a cosignature that verifies beside the log signature', () => {
    const opened = openCheckpoint(cosigned, [logVerifier, witnessVerifier]);
    assert.deepEqual(
      opened.note.verified.map((s) => s.name),
      ['tabella.example/log', 'oversight.example/witness'],
    );
    const sig = opened.note.verified[1]?.signature ?? new Uint8Array();
    assert.equal(cosignatureTimestamp(sig), 1_700_000_000);
  });

  it('is ignored by clients that do not trust the witness', () => {
    assert.equal(openCheckpoint(cosigned, [logVerifier]).note.unverified.length, 1);
  });

  it('fails when its timestamp is changed', () => {
    const note = parseNote(cosigned);
    const sig = Buffer.from(note.signatures[1]?.signature ?? []);
    sig.writeBigUInt64BE(1_700_000_001n, 0);
    const forged = `${signed}${formatSignatureLine({ name: witness.name, keyId: witness.keyId, signature: sig })}`;
    assertCode(() => openCheckpoint(forged, [logVerifier, witnessVerifier]), 'BAD_SIGNATURE');
  });

  it('does not accept a plain Ed25519 note signature as a cosignature', () => {
    const body = Buffer.from(formatCheckpoint(checkpoint));
    const plain = cosignerFromSeed('oversight.example/witness', Buffer.alloc(32, 1));
    const sig = Buffer.concat([Buffer.alloc(8), log.sign(body)]);
    assert.equal(noteVerifierFromKey(plain.verifierKey).verify(body, sig), false);
  });

  it('refuses to cosign what is not a checkpoint', () => {
    assertCode(() => witness.cosign('hello\n', 1), 'MALFORMED');
    assertCode(() => cosignerFromKey(generateNoteKey('x').signerKey), 'MALFORMED');
  });
});
