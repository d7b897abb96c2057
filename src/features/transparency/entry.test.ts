import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalEntry, detailsDigest, entryBytes, newSalts } from './entry.ts';

const nullable = fc.option(fc.string(), { nil: null });

describe('log entries', () => {
  it('writes exactly the RFC 8785 canonical JSON of the public entry, for any event', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string(),
          at: fc.string(),
          actor_type: fc.string(),
          actor_id: nullable,
          actor_org_id: nullable,
          action: fc.string(),
          subject_type: fc.string(),
          subject_id: nullable,
          details: fc.string(),
        }),
        (event) => {
          const [salt] = newSalts(1);
          assert.equal(
            entryBytes(event, salt as string).toString('utf8'),
            canonicalEntry(event, salt as string),
          );
        },
      ),
    );
  });

  it('commits to the details through a salted digest, never the details themselves', () => {
    const event = {
      id: 'evt_1',
      at: '2026-11-26T00:00:00.000Z',
      actor_type: 'member',
      actor_id: 'mbr_1',
      actor_org_id: 'org_1',
      action: 'member.update',
      subject_type: 'member',
      subject_id: 'mbr_2',
      details: '{"roles":["admin"]}',
    };
    const [a, b] = newSalts(2) as [string, string];
    assert.notEqual(a, b);
    const text = entryBytes(event, a).toString('utf8');
    assert.ok(!text.includes('admin'));
    assert.ok(text.includes(detailsDigest(a, event.details)));
    assert.notEqual(detailsDigest(a, event.details), detailsDigest(b, event.details));
  });
});
