import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TlogVerifyError } from './errors.ts';
import { formatNote, parseNote } from './note.ts';
import { computeKeyId, decodeVerifierKey, SIGNATURE_TYPE } from './note-keys.ts';
import { openNote, signNote } from './note-open.ts';
import { generateNoteKey, noteSignerFromKey, noteVerifierFromKey } from './note-signer.ts';

// The test vector published with golang.org/x/mod/sumdb/note (note_test.go).
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogVerifyError && e.code === code);
}

describe('Go note test vector', () => {
  it('reproduces the key ID and verifier key from the signer key', () => {
    const signer = noteSignerFromKey(PETER_SKEY);
    assert.equal(signer.name, 'PeterNeumann');
    assert.equal(signer.keyId, 0xc74f20a3);
    assert.equal(signer.verifierKey, PETER_VKEY);
    const decoded = decodeVerifierKey(PETER_VKEY);
    assert.equal(computeKeyId('PeterNeumann', SIGNATURE_TYPE.ed25519, decoded.key), 0xc74f20a3);
  });

  it('reproduces the published signature', () => {
    assert.equal(signNote(TEXT, [noteSignerFromKey(PETER_SKEY)]), `${TEXT}\n${PETER_SIG}`);
  });

  it('replaces an existing signature by the same key', () => {
    const signer = noteSignerFromKey(PETER_SKEY);
    const stale = { name: 'PeterNeumann', keyId: 0xc74f20a3, signature: Buffer.from('bad') };
    assert.equal(signNote({ text: TEXT, signatures: [stale] }, [signer]), `${TEXT}\n${PETER_SIG}`);
  });

  it('refuses to sign a text without a final newline', () => {
    assertCode(() => signNote('abc', [noteSignerFromKey(PETER_SKEY)]), 'MALFORMED');
  });
});

describe('when a key string is mangled', () => {
  it('rejects every proper substring and every single-byte change of the verifier key', () => {
    noteVerifierFromKey(PETER_VKEY);
    for (let i = 0; i <= PETER_VKEY.length; i++)
      for (let j = i + 1; j <= PETER_VKEY.length; j++)
        if (i !== 0 || j !== PETER_VKEY.length)
          assertCode(() => noteVerifierFromKey(PETER_VKEY.slice(i, j)), 'MALFORMED');
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const bad =
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      assertCode(() => noteVerifierFromKey(bad), 'MALFORMED');
    }
    // Wrong key length and unknown algorithm, each with a matching key ID.
    assertCode(
      () => noteVerifierFromKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      'MALFORMED',
    );
    assertCode(
      () => noteVerifierFromKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
      'MALFORMED',
    );
  });

  it('rejects every proper substring and every single-byte change of the signer key', () => {
    for (let i = 0; i <= PETER_SKEY.length; i++)
      for (let j = i + 1; j <= PETER_SKEY.length; j++)
        if (i !== 0 || j !== PETER_SKEY.length)
          assertCode(() => noteSignerFromKey(PETER_SKEY.slice(i, j)), 'MALFORMED');
    for (let i = 0; i < PETER_SKEY.length; i++) {
      const bad =
        PETER_SKEY.slice(0, i) + String.fromCharCode(PETER_SKEY.charCodeAt(i) + 1) + PETER_SKEY.slice(i + 1);
      assertCode(() => noteSignerFromKey(bad), 'MALFORMED');
    }
  });
});

describe('openNote', () => {
  const peter = noteVerifierFromKey(PETER_VKEY);
  const enoch = noteVerifierFromKey(ENOCH_VKEY);
  const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;

  it('verifies the known key and sets the unknown one aside', () => {
    const note = openNote(both, [peter]);
    assert.equal(note.text, TEXT);
    assert.deepEqual(
      note.verified.map((s) => [s.name, s.keyId]),
      [['PeterNeumann', 0xc74f20a3]],
    );
    assert.deepEqual(
      note.unverified.map((s) => [s.name, s.keyId]),
      [['EnochRoot', 0xaf0cfe78]],
    );
  });

  it('verifies both when both keys are trusted', () => {
    assert.equal(openNote(both, [peter, enoch]).verified.length, 2);
  });

  it('refuses a note no trusted key signed', () => {
    assertCode(() => openNote(both, []), 'BAD_SIGNATURE');
    const misnamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    assertCode(() => openNote(`${TEXT}\n${misnamed}`, [peter]), 'BAD_SIGNATURE');
  });

  it('refuses a note whose trusted signature does not verify', () => {
    const bad = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    assertCode(() => openNote(`${TEXT}\n${bad}`, [peter]), 'BAD_SIGNATURE');
    assertCode(() => openNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`, [peter]), 'BAD_SIGNATURE');
  });

  it('refuses an ambiguous trusted key only when it is used', () => {
    assertCode(
      () => openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, noteVerifierFromKey(ENOCH_VKEY)]),
      'MALFORMED',
    );
    openNote(`${TEXT}\n${PETER_SIG}`, [enoch, peter, noteVerifierFromKey(ENOCH_VKEY)]);
  });

  it('collapses duplicated signatures', () => {
    const enochBad = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const note = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochBad}`, [peter]);
    assert.equal(note.verified.length, 1);
    assert.equal(note.unverified.length, 2);
  });

  it('refuses malformed notes', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
      `${TEXT}\n\u2014 PeterNeumann x08go\n`,
      `${TEXT}\n\u2014 PeterNeumann AAAA\n`,
      `${TEXT}\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    ];
    for (const note of bad) assertCode(() => openNote(note, [peter]), 'MALFORMED');
    const invalidUtf8 = Buffer.concat([Buffer.from([0xff]), Buffer.from(`${TEXT}\n${PETER_SIG}`)]);
    assertCode(() => openNote(invalidUtf8, [peter]), 'MALFORMED');
  });

  it('accepts the same note as bytes', () => {
    assert.equal(openNote(Buffer.from(both), [peter]).text, TEXT);
  });
});

describe('properties', () => {
  it('a generated key signs notes its verifier key opens, and formatting round-trips', () => {
    const { signerKey, verifierKey } = generateNoteKey('tabella.example/log');
    const signer = noteSignerFromKey(signerKey);
    const verifier = noteVerifierFromKey(verifierKey);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: lines without control characters.
    const line = fc.stringMatching(/^[^\u0000-\u001f]{1,40}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const text = lines.map((l) => `${l}\n`).join('');
        const signed = signNote(text, [signer]);
        assert.equal(openNote(signed, [verifier]).text, text);
        assert.equal(formatNote(parseNote(signed)), signed);
      }),
      { numRuns: 100 },
    );
  });
});
