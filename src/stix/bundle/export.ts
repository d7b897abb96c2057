import { randomUUID } from 'node:crypto';

/** A STIX 2.1 bundle (§8): a transport envelope without spec_version. */
export interface Bundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly unknown[];
}

/** Wraps objects in a bundle with a new UUIDv4 identifier unless one is given. */
export function createBundle(objects: readonly unknown[], id = `bundle--${randomUUID()}`): Bundle {
  return { type: 'bundle', id, objects };
}

/**
 * Serializes a bundle as a stream of JSON text chunks, one object at a time, so exports of any size
 * never build the whole document in memory.
 *
 * @example
 * for await (const chunk of serializeBundle(store.objects(), id)) response.write(chunk);
 */
export async function* serializeBundle(
  objects: AsyncIterable<unknown> | Iterable<unknown>,
  id = `bundle--${randomUUID()}`,
): AsyncGenerator<string> {
  yield `{"type":"bundle","id":${JSON.stringify(id)},"objects":[`;
  let first = true;
  for await (const object of objects) {
    yield `${first ? '' : ','}${JSON.stringify(object)}`;
    first = false;
  }
  yield ']}';
}
