import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { TlogVerifyError } from './errors.ts';
import { hashLeaf } from './hash.ts';
import { generateNoteKey, noteSignerFromKey, noteVerifierFromKey } from './note-signer.ts';

// The example of C2SP tlog-checkpoint.
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TlogVerifyError && e.code === code);
}

describe('parseCheckpoint', () => {
  it('reads the spec example and formats it back byte for byte', () => {
    const cp = parseCheckpoint(SPEC_BODY);
    assert.equal(cp.origin, 'example.com/behind-the-sofa');
    assert.equal(cp.size, 20852163);
    assert.equal(Buffer.from(cp.rootHash).toString('base64'), 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    assert.deepEqual(cp.extensions, []);
    assert.equal(formatCheckpoint(cp), SPEC_BODY);
  });

  it('keeps extension lines', () => {
    const body = `${SPEC_BODY}ext one\nExt-2\n`;
    assert.deepEqual(parseCheckpoint(body).extensions, ['ext one', 'Ext-2']);
    assert.equal(formatCheckpoint(parseCheckpoint(body)), body);
  });

  it('accepts the empty tree', () => {
    assert.equal(parseCheckpoint('o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n').size, 0);
  });

  describe('when the body is malformed', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    const bad = [
      'o\n1\n',
      `o\n1\n${root}`,
      `\n1\n${root}\n`,
      `o\n01\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n+1\n${root}\n`,
      `o\n1.0\n${root}\n`,
      `o\n9007199254740992\n${root}\n`,
      `o\n99999999999999999999\n${root}\n`,
      'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n',
      'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n',
      'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n',
      `o\n1\n${root}\n\n`,
      `o\n1\n${root}\next\n\n`,
      `o\n1\n${root}\n\u0007\n`,
    ];
    for (const body of bad)
      it(`rejects ${JSON.stringify(body).slice(0, 40)}`, () =>
        assertCode(() => parseCheckpoint(body), 'MALFORMED'));
  });
});

describe('signed checkpoints', () => {
  const { signerKey, verifierKey } = generateNoteKey('tabella.example/log');
  const signer = noteSignerFromKey(signerKey);
  const verifier = noteVerifierFromKey(verifierKey);
  const checkpoint = {
    origin: 'tabella.example/log',
    size: 42,
    rootHash: hashLeaf(Buffer.from('x')),
    extensions: [],
  };

  it('opens what it signs', () => {
    const opened = openCheckpoint(signCheckpoint(checkpoint, [signer]), [verifier], {
      origin: 'tabella.example/log',
    });
    assert.equal(opened.checkpoint.size, 42);
    assert.deepEqual(Buffer.from(opened.checkpoint.rootHash), checkpoint.rootHash);
  });

  it('refuses a changed size, root or signature', () => {
    const note = signCheckpoint(checkpoint, [signer]);
    assertCode(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), [verifier]), 'BAD_SIGNATURE');
    const sigAt = note.lastIndexOf(' ') + 10;
    const flipped = note.slice(0, sigAt) + (note[sigAt] === 'A' ? 'B' : 'A') + note.slice(sigAt + 1);
    assertCode(() => openCheckpoint(flipped, [verifier]), 'BAD_SIGNATURE');
    const other = noteVerifierFromKey(generateNoteKey('tabella.example/log').verifierKey);
    assertCode(() => openCheckpoint(note, [other]), 'BAD_SIGNATURE');
  });

  it('refuses another log’s checkpoint', () => {
    assertCode(
      () => openCheckpoint(signCheckpoint(checkpoint, [signer]), [verifier], { origin: 'other' }),
      'MALFORMED',
    );
  });
});
