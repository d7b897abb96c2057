import { isTabellaError, TabellaError } from '../../core/errors.ts';
import type { MemberActor } from '../../policy/index.ts';
import type { ServiceContext } from '../context.ts';
import { distributionOf, type TaxiiCollection } from './collections.ts';
import { intel } from './intel-port.ts';
import {
  openStatus,
  type StatusDetail,
  type StatusResource,
  saveProgress,
  toStatusResource,
} from './status.ts';

/** Objects shared per call of the intel service; the status shows progress between chunks. */
const CHUNK = 250;

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

/** The envelope's objects (TAXII 2.1 §3.7), or 400; an envelope without `objects` adds nothing. */
function objectsOf(body: unknown): readonly unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TabellaError('VALIDATION_FAILED', 'body: not a TAXII envelope', { fields: ['body'] });
  }
  const objects = (body as { objects?: unknown }).objects;
  if (objects === undefined) return [];
  if (!Array.isArray(objects)) {
    throw new TabellaError('VALIDATION_FAILED', 'objects: must be a list', { fields: ['objects'] });
  }
  return objects;
}

/**
 * TAXII 2.1 §5.4 Add Objects: every object is shared all-or-nothing with the collection's
 * distribution; invalid ones become failures with a coded message, valid ones are kept. The status
 * is recorded pending first and completed as the envelope is processed, so a poller sees progress.
 */
export async function addObjects(
  ctx: ServiceContext,
  actor: MemberActor,
  collection: TaxiiCollection,
  body: unknown,
): Promise<StatusResource> {
  if (!collection.canWrite) throw new TabellaError('FORBIDDEN', 'this collection is read-only for you');
  const objects = objectsOf(body);
  const details = objects.map(detailOf);
  let row = await openStatus(ctx, actor, collection.id, objects.length, details);
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = [];
  const distribution = distributionOf(collection.ref);
  // The envelope is one request: an object may reference a marking definition in a later chunk.
  const requestMarkingDefinitions = objects.filter(
    (o) => typeof o === 'object' && o !== null && (o as { type?: unknown }).type === 'marking-definition',
  );
  for (let start = 0; start < objects.length; start += CHUNK) {
    const chunk = objects.slice(start, start + CHUNK);
    const chunkDetails = details.slice(start, start + CHUNK);
    try {
      const result = await intel.shareObjects(ctx, {
        objects: chunk,
        source: 'taxii',
        distribution,
        requestMarkingDefinitions,
      });
      for (const s of result.successes) successes.push({ id: s.id, version: s.version });
      for (const f of result.failures) {
        const given = chunkDetails[f.index];
        failures.push({
          id: f.id ?? given?.id ?? '(no id)',
          version: f.version ?? given?.version ?? '',
          message: `${f.code}: ${f.message}`,
        });
      }
    } catch (err) {
      // A refusal of the whole chunk (e.g. the member may not share) fails each of its objects.
      const code = isTabellaError(err) && err.statusCode < 500 ? err.code : 'INTERNAL';
      const message = code === 'INTERNAL' ? 'internal error' : (err as TabellaError).message;
      const rest = code === 'INTERNAL' ? details.slice(start) : chunkDetails;
      for (const d of rest) failures.push({ ...d, message: `${code}: ${message}` });
      if (code === 'INTERNAL') {
        await saveProgress(ctx, row, { successes, failures, pendings: [] });
        throw err;
      }
    }
    row = await saveProgress(ctx, row, { successes, failures, pendings: details.slice(start + CHUNK) });
  }
  if (objects.length === 0) row = await saveProgress(ctx, row, { successes, failures, pendings: [] });
  return toStatusResource(row);
}
