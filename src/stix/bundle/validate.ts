import { createHash } from 'node:crypto';
import { parseIdentifier } from '../identifier.ts';
import { childPath, IssueSink } from '../issues.ts';
import { resultOf, type ValidationResult, validateObjectInto } from '../validate/object.ts';
import { type BundleStreamOptions, parseBundleStream } from './stream.ts';

export interface StreamValidationResult extends ValidationResult {
  /** Objects validated: the bundle's objects, or 1 for a single object. */
  readonly objects: number;
}

/**
 * Validates a bundle — or a single object — read as a stream (STIX 2.1 §8): each object as it
 * arrives, then the envelope. Memory stays bounded by the largest object, plus one key per object
 * (a 64-bit digest) for duplicate detection.
 */
export async function validateBundleStream(
  source: AsyncIterable<Uint8Array | string>,
  options: BundleStreamOptions = {},
): Promise<StreamValidationResult> {
  const sink = new IssueSink();
  const ctx = { sink };
  const envelope: Record<string, unknown> = {};
  const seen = new Set<string>();
  let count = 0;
  let objectsList = false;
  for await (const event of parseBundleStream(source, options)) {
    if (event.kind === 'objects-end') {
      objectsList = true;
      continue;
    }
    if (event.kind === 'property') {
      envelope[event.key] = event.value;
      continue;
    }
    count++;
    const path = `$.objects[${event.index}]`;
    validateObjectInto(event.value, path, ctx);
    const o = event.value;
    if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
      const record = o as Record<string, unknown>;
      // 64 bits of SHA-1 per object version: duplicate detection costs ~40 bytes per object.
      const key = createHash('sha1')
        .update(`${String(record.id)}|${String(record.modified ?? '')}`)
        .digest()
        .toString('latin1', 0, 8);
      if (seen.has(key)) sink.warn(path, 'DUPLICATE_OBJECT', 'the same object version appears twice');
      seen.add(key);
    }
  }
  if (envelope.type !== 'bundle' && !objectsList) {
    validateObjectInto(envelope, '$', ctx);
    return { ...resultOf(sink), objects: 1 };
  }
  checkEnvelope(envelope, objectsList, count, sink);
  return { ...resultOf(sink), objects: count };
}

function checkEnvelope(
  envelope: Record<string, unknown>,
  objectsList: boolean,
  count: number,
  sink: IssueSink,
): void {
  if (envelope.type !== 'bundle') sink.error('$.type', 'INVALID_BUNDLE', "a bundle has type 'bundle'");
  const id = typeof envelope.id === 'string' ? parseIdentifier(envelope.id) : undefined;
  if (id === undefined || id.type !== 'bundle')
    sink.error('$.id', 'INVALID_BUNDLE', 'a bundle id is bundle--<UUID>');
  if (envelope.spec_version !== undefined) {
    sink.warn(
      '$.spec_version',
      'INVALID_SPEC_VERSION',
      'STIX 2.1 bundles have no spec_version (it was a 2.0 property)',
    );
  }
  if (envelope.objects !== undefined) sink.error('$.objects', 'INVALID_BUNDLE', 'objects must be a list');
  else if (objectsList && count === 0)
    sink.error('$.objects', 'EMPTY_LIST', 'objects must not be an empty list');
  for (const key of Object.keys(envelope)) {
    if (!['type', 'id', 'objects', 'spec_version'].includes(key) && !key.startsWith('x_')) {
      sink.warn(childPath('$', key), 'CUSTOM_PROPERTY', `'${key}' is not a bundle property`);
    }
  }
}
