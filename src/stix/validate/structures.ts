import { hexDigestLength } from '../../patterns/index.ts';
import { parseIdentifier } from '../identifier.ts';
import { childPath } from '../issues.ts';
import { inVocabulary } from '../vocabularies.ts';
import type { ValidationContext } from './context.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * STIX 2.1 §10.7 hashing algorithms: digests of fixed-size algorithms are checked by size (the
 * table the pattern parser uses, names compared upper-case without '-', so `md5` and `SHA256` are
 * checked too); SSDEEP and TLSH have their own forms.
 */
const HASH_FORMS: Readonly<Record<string, RegExp>> = {
  SSDEEP: /^\d{1,10}:[A-Za-z0-9+/]{1,64}:[A-Za-z0-9+/]{1,64}$/,
  TLSH: /^(?:T1)?[0-9A-Fa-f]{70}$/,
};

function digestProblem(algorithm: string, digest: string): boolean {
  const length = hexDigestLength(algorithm);
  if (length !== undefined) return digest.length !== length || !/^[0-9a-fA-F]*$/.test(digest);
  const form = HASH_FORMS[algorithm.toUpperCase()];
  return form !== undefined && !form.test(digest);
}

/** STIX 2.1 §2.7 hashes: a non-empty dictionary of algorithm → digest. */
export function checkHashes(value: unknown, path: string, { sink }: ValidationContext): void {
  if (!isRecord(value)) {
    sink.error(path, 'WRONG_VALUE_TYPE', 'hashes must be a dictionary');
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) sink.error(path, 'EMPTY_LIST', 'hashes must not be empty');
  for (const [algorithm, digest] of entries) {
    const p = childPath(path, algorithm);
    if (typeof digest !== 'string') {
      sink.error(p, 'WRONG_VALUE_TYPE', 'a hash value must be a string');
      continue;
    }
    if (algorithm.length < 3 || algorithm.length > 250)
      sink.error(p, 'INVALID_HASH', 'hash algorithm names are 3–250 characters');
    if (digestProblem(algorithm, digest))
      sink.error(p, 'INVALID_HASH', 'not a valid digest of this algorithm');
    if (!inVocabulary('hashing-algorithm', algorithm)) {
      sink.warn(
        p,
        'VOCABULARY_VALUE',
        `'${algorithm.slice(0, 40)}' is not in the hashing-algorithm vocabulary`,
      );
    }
  }
}

/** STIX 2.1 §2.13 kill-chain-phase: kill_chain_name and phase_name, both required. */
export function checkKillChainPhases(value: unknown, path: string, { sink }: ValidationContext): void {
  if (!Array.isArray(value)) {
    sink.error(path, 'WRONG_VALUE_TYPE', 'kill_chain_phases must be a list');
    return;
  }
  if (value.length === 0) sink.error(path, 'EMPTY_LIST', 'a list must not be empty');
  value.forEach((phase, i) => {
    const p = childPath(path, i);
    if (!isRecord(phase)) {
      sink.error(p, 'WRONG_VALUE_TYPE', 'a kill chain phase must be an object');
      return;
    }
    for (const key of ['kill_chain_name', 'phase_name']) {
      if (typeof phase[key] !== 'string')
        sink.error(childPath(p, key), 'MISSING_PROPERTY', `${key} is required and must be a string`);
    }
  });
}

/** STIX 2.1 §2.5 external-reference: source_name plus one of description, url, external_id. */
export function checkExternalReferences(value: unknown, path: string, ctx: ValidationContext): void {
  const { sink } = ctx;
  if (!Array.isArray(value)) {
    sink.error(path, 'WRONG_VALUE_TYPE', 'external_references must be a list');
    return;
  }
  if (value.length === 0) sink.error(path, 'EMPTY_LIST', 'a list must not be empty');
  value.forEach((ref, i) => {
    const p = childPath(path, i);
    if (!isRecord(ref)) {
      sink.error(p, 'WRONG_VALUE_TYPE', 'an external reference must be an object');
      return;
    }
    if (typeof ref.source_name !== 'string')
      sink.error(childPath(p, 'source_name'), 'MISSING_PROPERTY', 'source_name is required');
    if (ref.description === undefined && ref.url === undefined && ref.external_id === undefined) {
      sink.error(p, 'MISSING_PROPERTY', 'an external reference needs description, url or external_id');
    }
    for (const key of ['description', 'url', 'external_id']) {
      if (ref[key] !== undefined && typeof ref[key] !== 'string')
        sink.error(childPath(p, key), 'WRONG_VALUE_TYPE', `${key} must be a string`);
    }
    if (ref.hashes !== undefined) checkHashes(ref.hashes, childPath(p, 'hashes'), ctx);
    const id = ref.external_id;
    if (ref.source_name === 'cve' && typeof id === 'string' && !/^CVE-\d{4}-\d{4,}$/.test(id)) {
      sink.error(
        childPath(p, 'external_id'),
        'INVALID_CONSTRAINT',
        'a cve external_id has the form CVE-YYYY-NNNN',
      );
    }
    if (ref.source_name === 'capec' && typeof id === 'string' && !/^CAPEC-\d+$/.test(id)) {
      sink.error(
        childPath(p, 'external_id'),
        'INVALID_CONSTRAINT',
        'a capec external_id has the form CAPEC-N',
      );
    }
  });
}

/** STIX 2.1 §7.2.3 granular markings: selectors plus exactly one of marking_ref and lang. */
export function checkGranularMarkings(value: unknown, path: string, { sink }: ValidationContext): void {
  if (!Array.isArray(value)) {
    sink.error(path, 'WRONG_VALUE_TYPE', 'granular_markings must be a list');
    return;
  }
  if (value.length === 0) sink.error(path, 'EMPTY_LIST', 'a list must not be empty');
  value.forEach((marking, i) => {
    const p = childPath(path, i);
    if (!isRecord(marking)) {
      sink.error(p, 'WRONG_VALUE_TYPE', 'a granular marking must be an object');
      return;
    }
    const selectors = marking.selectors;
    if (
      !Array.isArray(selectors) ||
      selectors.length === 0 ||
      !selectors.every((s) => typeof s === 'string')
    ) {
      sink.error(
        childPath(p, 'selectors'),
        'MISSING_PROPERTY',
        'selectors must be a non-empty list of strings',
      );
    }
    const hasRef = marking.marking_ref !== undefined;
    const hasLang = marking.lang !== undefined;
    if (hasRef === hasLang)
      sink.error(p, 'INVALID_MARKING', 'exactly one of marking_ref and lang is required');
    if (
      hasRef &&
      (typeof marking.marking_ref !== 'string' ||
        parseIdentifier(marking.marking_ref)?.type !== 'marking-definition')
    ) {
      sink.error(
        childPath(p, 'marking_ref'),
        'INVALID_REFERENCE_TYPE',
        'marking_ref must reference a marking-definition',
      );
    }
  });
}

const EXTENSION_TYPES: ReadonlySet<string> = new Set([
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
]);

/** Predefined SCO extensions (STIX 2.1 §6); anything else needs an extension-definition (§7.3). */
const PREDEFINED_EXTENSIONS = new Set([
  'archive-ext',
  'ntfs-ext',
  'pdf-ext',
  'raster-image-ext',
  'windows-pebinary-ext',
  'http-request-ext',
  'icmp-ext',
  'socket-ext',
  'tcp-ext',
  'windows-process-ext',
  'windows-service-ext',
  'unix-account-ext',
]);

export function checkExtensions(value: unknown, path: string, { sink }: ValidationContext): void {
  if (!isRecord(value)) {
    sink.error(path, 'WRONG_VALUE_TYPE', 'extensions must be a dictionary');
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) sink.error(path, 'EMPTY_LIST', 'extensions must not be empty');
  for (const [name, extension] of entries) {
    const p = childPath(path, name);
    if (!isRecord(extension) || Object.keys(extension).length === 0) {
      sink.error(p, 'INVALID_EXTENSION', 'an extension must be a non-empty object');
      continue;
    }
    if (name.startsWith('extension-definition--')) {
      if (parseIdentifier(name) === undefined) {
        sink.error(p, 'INVALID_EXTENSION', 'not a valid extension-definition identifier');
      }
      // §7.3: an extension instance says which kind of extension its definition describes.
      const kind = extension.extension_type;
      if (kind === undefined) {
        sink.warn(childPath(p, 'extension_type'), 'INVALID_EXTENSION', 'extension_type is missing');
      } else if (typeof kind !== 'string' || !EXTENSION_TYPES.has(kind)) {
        sink.error(
          childPath(p, 'extension_type'),
          'INVALID_EXTENSION',
          'extension_type is not a STIX 2.1 extension type',
        );
      }
      continue;
    }
    if (!PREDEFINED_EXTENSIONS.has(name)) {
      sink.warn(
        p,
        'INVALID_EXTENSION',
        'custom extensions without an extension-definition are deprecated in STIX 2.1',
      );
    }
  }
}
