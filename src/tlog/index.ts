/**
 * Verifiable accountability (issue 5): RFC 6962 / RFC 9162 Merkle trees and proofs, C2SP
 * signed-note, tlog-checkpoint, tlog-tiles and tlog-cosignature. Pure: no I/O — stores, servers and
 * HTTP clients plug in through the `HashReader`, `TileReader` and `LogFetch` ports.
 * See docs/transparency-log.md.
 */
export {
  type Checkpoint,
  formatCheckpoint,
  type OpenedCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.ts';
export {
  type Cosigner,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignerFromKey,
  cosignerFromSeed,
  generateCosignerKey,
} from './cosignature.ts';
export { formatEntryBundle, MAX_ENTRY_SIZE, parseEntryBundle } from './entry-bundle.ts';
export { isTlogVerifyError, TlogVerifyError, type TlogVerifyErrorCode } from './errors.ts';
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashEqual, hashLeaf } from './hash.ts';
export { type VerifiedLog, type VerifyTiledLogOptions, verifyTiledLog } from './log-verifier.ts';
export { MemoryTiledLog } from './memory-log.ts';
export { MemoryTree } from './memory-tree.ts';
export {
  formatNote,
  formatSignatureLine,
  isValidKeyName,
  MAX_NOTE_SIGNATURES,
  type Note,
  type NoteSignature,
  parseNote,
} from './note.ts';
export {
  computeKeyId,
  type DecodedKey,
  decodeVerifierKey,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  SIGNATURE_TYPE,
} from './note-keys.ts';
export { type OpenedNote, openNote, signNote } from './note-open.ts';
export {
  type Ed25519NoteSigner,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  generateNoteKey,
  noteSignerFromKey,
  noteVerifierFromKey,
} from './note-signer.ts';
export {
  type AsyncHashReader,
  consistencyProof,
  consistencyProofAsync,
  type HashReader,
  inclusionProof,
  inclusionProofAsync,
  type ProofPlan,
  planConsistency,
  planInclusion,
  planRoot,
  treeRoot,
  treeRootAsync,
} from './proof-plan.ts';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verify.ts';
export {
  checkConsistency,
  checkInclusion,
  fetchEntryBundle,
  fetchTile,
  type LogFetch,
} from './tile-client.ts';
export { partialTilesOfTree, tileRoot, tilesOfTree, tileWidth } from './tile-math.ts';
export {
  entriesPath,
  formatTileIndex,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  type TileResource,
  tilePath,
} from './tile-path.ts';
export { type AsyncTileReader, asyncTileHashReader, type TileReader, tileHashReader } from './tile-reader.ts';
export { type TileData, TreeBuilder } from './tree-builder.ts';
export { MAX_TREE_SIZE, type TreeNode } from './tree-node.ts';
