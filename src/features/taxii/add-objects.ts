import { setImmediate } from 'node:timers/promises';
import { isTabellaError, TabellaError } from '../../core/errors.ts';
import { type MemberActor, nonTlpMarkingRefs } from '../../policy/index.ts';
import { validateObject } from '../../stix/index.ts';
import type { ServiceContext } from '../context.ts';
import { distributionOf, type TaxiiCollection } from './collections.ts';
import { intel } from './intel-port.ts';
import type { DeferredArray } from './json-text.ts';
import { type ChunkOutcome, completeChunks, openStatus, type StatusDetail } from './status.ts';
import type { StatusRow } from './status-store.ts';

/** Objects per part of the status: the status shows progress chunk by chunk (issue 10 §2). */
const CHUNK = 250;
/**
 * Objects per call of the intel service, with a yield of the event loop after each: on SQLite a
 * call runs without awaiting any I/O (250 valid indicators took ~12 ms), and each call commits
 * (an fsync): 100 balances the two.
 */
const SHARE = 100;
/**
 * How often progress is written to the status: each write is a commit (on SQLite an fsync, while
 * the event loop waits), so done chunks are written together at most this often, and at the end.
 */
const PROGRESS_EVERY_MS = 200;

type Obj = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The status-details of an envelope entry (attacker-controlled): its id and version, if it has them. */
function detailOf(entry: unknown, index: number): StatusDetail {
  const o =
    entry !== null && typeof entry === 'object' && !Array.isArray(entry)
      ? (entry as Record<string, unknown>)
      : {};
  const id = typeof o.id === 'string' && o.id.length <= 300 ? o.id : `objects[${index}]`;
  const version =
    typeof o.modified === 'string' && o.modified.length <= 40
      ? o.modified
      : typeof o.created === 'string' && o.created.length <= 40
        ? o.created
        : '';
  return { id, version };
}

/** An envelope's objects, a run at a time: each `run(i)` is parsed (and checked) when called. */
interface ObjectRuns {
  readonly runCount: number;
  run(i: number): unknown[];
}

/**
 * The envelope's objects (TAXII 2.1 §3.7), or 400; an envelope without `objects` adds nothing. A
 * large list comes deferred from the parser (`parseEnvelopeText`); a small one is in the body.
 */
function objectsOf(body: unknown, deferred: DeferredArray | undefined): ObjectRuns {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TabellaError('VALIDATION_FAILED', 'body: not a TAXII envelope', { fields: ['body'] });
  }
  if (deferred !== undefined) return deferred;
  const objects = (body as { objects?: unknown }).objects ?? [];
  if (!Array.isArray(objects)) {
    throw new TabellaError('VALIDATION_FAILED', 'objects: must be a list', { fields: ['objects'] });
  }
  return {
    runCount: Math.ceil(objects.length / CHUNK),
    run: (i) => objects.slice(i * CHUNK, (i + 1) * CHUNK),
  };
}

/** The objects in chunks of `size`, each run parsed only when its objects are reached. */
function* chunksOf(objects: ObjectRuns, size: number): Generator<unknown[]> {
  let chunk: unknown[] = [];
  for (let i = 0; i < objects.runCount; i++) {
    for (const o of objects.run(i)) {
      chunk.push(o);
      if (chunk.length === size) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The envelope's valid marking definitions (attacker-controlled), the first of each id: an object
 * may reference one sent in a later chunk (docs/sharing.md "Markings"). Each is validated once.
 */
function markingDefinitionsOf(chunk: readonly unknown[], into: Map<string, Obj>): void {
  for (const o of chunk) {
    if (!isRecord(o) || o.type !== 'marking-definition' || typeof o.id !== 'string') continue;
    if (!into.has(o.id) && validateObject(o).errors === 0) into.set(o.id, o);
  }
}

/**
 * The request's marking definitions a chunk references: what the intel service needs to know of
 * the rest of the envelope, so each call costs the size of its chunk, not of the envelope.
 */
function referencedBy(chunk: readonly unknown[], definitions: ReadonlyMap<string, Obj>): Obj[] {
  if (definitions.size === 0) return [];
  const found = new Map<string, Obj>();
  for (const o of chunk) {
    if (!isRecord(o)) continue;
    for (const ref of nonTlpMarkingRefs(o)) {
      const d = definitions.get(ref);
      if (d !== undefined) found.set(ref, d);
    }
  }
  return [...found.values()];
}

/** A chunk never shared, after an internal error: each of its objects fails. */
function refused(seq: number, details: readonly StatusDetail[]): ChunkOutcome {
  return {
    seq,
    successes: [],
    failures: details.map((d) => ({ ...d, message: 'INTERNAL: internal error' })),
  };
}

/** An envelope read through once (`readEnvelope`), ready to be added. */
export interface Envelope {
  readonly objects: ObjectRuns;
  /** Each chunk's status details: the objects' ids and versions. */
  readonly details: readonly (readonly StatusDetail[])[];
  readonly definitions: ReadonlyMap<string, Obj>;
}

/**
 * Reads a parsed envelope (`parseEnvelopeText`) through once, before anything is looked up or
 * written: every run is parsed, so a malformed or refused one answers 400 as a wholly parsed body
 * would; it yields each object's status detail and the envelope's marking definitions. The parsed
 * objects are let go: `addObjects` parses each run again as it adds it, so the envelope (~150 MB
 * of heap for 100k indicators) is never live at once and the garbage collector's pauses, which
 * grow with the live heap, stay short (issue 10 §2).
 */
export async function readEnvelope(body: unknown, deferred: DeferredArray | undefined): Promise<Envelope> {
  const objects = objectsOf(body, deferred);
  const all: StatusDetail[] = [];
  const definitions = new Map<string, Obj>();
  for (let i = 0; i < objects.runCount; i++) {
    const run = objects.run(i);
    for (const o of run) all.push(detailOf(o, all.length));
    markingDefinitionsOf(run, definitions);
    await setImmediate();
  }
  const details: StatusDetail[][] = [];
  for (let start = 0; start < all.length; start += CHUNK) details.push(all.slice(start, start + CHUNK));
  return { objects, details, definitions };
}

/**
 * TAXII 2.1 §5.4 Add Objects: every object is shared all-or-nothing with the collection's
 * distribution; invalid ones become failures with a coded message, valid ones are kept. The status
 * is recorded pending first and completed chunk by chunk, so a poller sees progress. Every pass is
 * linear in the envelope and gives the event loop back between chunks: no other request waits for
 * a large envelope (issue 10 §2).
 */
export async function addObjects(
  ctx: ServiceContext,
  actor: MemberActor,
  collection: TaxiiCollection,
  envelope: Envelope,
): Promise<StatusRow> {
  if (!collection.canWrite) throw new TabellaError('FORBIDDEN', 'this collection is read-only for you');
  const { objects, details, definitions } = envelope;
  const row = await openStatus(ctx, actor, collection.id, details);
  const distribution = distributionOf(collection.ref);
  let done: ChunkOutcome[] = [];
  let written = performance.now();
  let seq = -1;
  for (const chunk of chunksOf(objects, CHUNK)) {
    seq++;
    const given = details[seq] ?? [];
    const successes: StatusDetail[] = [];
    const failures: StatusDetail[] = [];
    let failed: unknown;
    for (let start = 0; start < chunk.length && failed === undefined; start += SHARE) {
      const part = chunk.slice(start, start + SHARE);
      try {
        const result = await intel.shareObjects(ctx, {
          objects: part,
          source: 'taxii',
          distribution,
          requestMarkingDefinitions: referencedBy(part, definitions),
        });
        for (const s of result.successes) successes.push({ id: s.id, version: s.version });
        for (const f of result.failures) {
          const d = given[start + f.index];
          failures.push({
            id: f.id ?? d?.id ?? '(no id)',
            version: f.version ?? d?.version ?? '',
            message: `${f.code}: ${f.message}`,
          });
        }
      } catch (err) {
        // A refusal of the whole call (e.g. the member may not share) fails each of its objects;
        // after an internal error nothing more is shared: the rest fails and the error is answered.
        const code = isTabellaError(err) && err.statusCode < 500 ? err.code : 'INTERNAL';
        const message = code === 'INTERNAL' ? 'internal error' : (err as TabellaError).message;
        for (const d of given.slice(start, start + SHARE))
          failures.push({ ...d, message: `${code}: ${message}` });
        if (code === 'INTERNAL') {
          for (const d of given.slice(start + SHARE)) failures.push({ ...d, message: `${code}: ${message}` });
          failed = err;
        }
      }
      await setImmediate();
    }
    done.push({ seq, successes, failures });
    if (failed !== undefined) {
      const rest = details.slice(seq + 1).map((d, k) => refused(seq + 1 + k, d));
      await completeChunks(ctx, row, [...done, ...rest]);
      throw failed;
    }
    if (seq === details.length - 1 || performance.now() - written >= PROGRESS_EVERY_MS) {
      await completeChunks(ctx, row, done);
      done = [];
      written = performance.now();
    }
  }
  return row;
}
