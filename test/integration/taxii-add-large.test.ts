// Issue 10 §2: a TAXII add-objects envelope of 120,000 empty objects (352 KiB, under the default
// body limit) took 26.5 s while /healthz waited 26 s: the status was re-serialized and rewritten
// whole after every chunk (quadratic), and nothing gave the event loop back. Now the work is
// linear — the time per object of a 120k envelope stays close to that of a 12k one — and no
// synchronous slice is long: /healthz, polled throughout, answers within a bound generous enough
// for a noisy CI machine. A poller of the status meanwhile always sees a consistent resource.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeOrg, memberWithToken, startWithOperator } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import type { TestServer } from '../support/server.ts';
import { ROOT, TAXII, TaxiiClient } from '../support/taxii.ts';

const LARGE = 120_000;
const SMALL = 12_000;
/**
 * The longest /healthz may take while the envelope is processed. The aim is 50 ms (the benchmark
 * shows it); on a shared 2-core machine at load 10 a GC pause or a descheduled process alone
 * reached ~300 ms here, while the code before held /healthz for the whole request (20 s and more).
 */
const HEALTH_BOUND_MS = 500;
/** How much longer per object the large envelope may take than the small one (quadratic: ~5–10×). */
const PER_OBJECT_RATIO_BOUND = 2.5;

// biome-ignore lint/suspicious/noExplicitAny: a status resource inspected dynamically
type Json = any;

/** A TAXII 2.1 §4.3.1 status is consistent, as the OASIS taxii2-client checks it. */
function assertConsistent(st: Json): void {
  assert.equal(st.success_count + st.failure_count + st.pending_count, st.total_count);
  assert.equal(st.successes.length, st.success_count);
  assert.equal(st.failures.length, st.failure_count);
  assert.equal(st.pendings.length, st.pending_count);
  assert.equal(st.status, st.pending_count === 0 ? 'complete' : 'pending');
}

describeEachEngine(
  'TAXII add-objects: a large envelope is linear and stalls no one (issue 10 §2)',
  (engine) => {
    let s: TestServer;
    before(async () => {
      s = await startWithOperator(engine);
    });
    after(async () => s.close());

    it('adds 120,000 empty objects in linear time while /healthz answers throughout', async (t) => {
      const org = await makeOrg(s);
      const m = await memberWithToken(s, org.id);
      const taxii = TaxiiClient.basic(s, m.email, m.token);
      const objects = `${ROOT}/collections/${await taxii.collectionTitled(org.name)}/objects/`;
      const envelope = (n: number) => `{"objects":[${Array.from({ length: n }, () => '{}').join(',')}]}`;

      assert.equal((await taxii.post(objects, envelope(1_000))).status, 202); // warm-up
      const t0 = performance.now();
      const small = await taxii.post(objects, envelope(SMALL));
      const smallMs = performance.now() - t0;
      assert.equal(small.status, 202);
      assert.equal(small.body.failure_count, SMALL);

      const body = envelope(LARGE);
      assert.ok(body.length < s.config.bodyLimitBytes);
      let polling = true;
      const health: number[] = [];
      const healthPoller = (async () => {
        while (polling) {
          const h0 = performance.now();
          // A stalled server may drop the connection: that counts as no answer at all.
          const answered = await fetch(`${s.url}/healthz`).then(
            (r) => r.text().then(() => true),
            () => false,
          );
          health.push(answered ? performance.now() - h0 : Number.POSITIVE_INFINITY);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const t1 = performance.now();
      // The answer (~8 MB) is parsed once polling stopped: its JSON.parse would stall this process.
      const res = await fetch(`${s.url}${objects}`, {
        method: 'POST',
        headers: { accept: TAXII, 'content-type': TAXII, authorization: taxii.authorization ?? '' },
        body,
      });
      const text = await res.text();
      const largeMs = performance.now() - t1;
      polling = false;
      await healthPoller;
      const large = { status: res.status, body: JSON.parse(text) as Json };

      assert.equal(large.status, 202, JSON.stringify(large.body).slice(0, 300));
      assertConsistent(large.body);
      assert.deepEqual(
        [large.body.status, large.body.total_count, large.body.success_count, large.body.failure_count],
        ['complete', LARGE, 0, LARGE],
      );
      assert.ok(large.body.failures.every((f: Json) => f.message.startsWith('INVALID_STIX:')));
      assert.equal(large.body.failures[LARGE - 1].id, `objects[${LARGE - 1}]`);
      const again = await taxii.get(`${ROOT}/status/${large.body.id}/`);
      assert.deepEqual(again.body, large.body);

      const ratio = largeMs / LARGE / (smallMs / SMALL);
      const worst = Math.max(...health);
      const detail = `${LARGE} in ${largeMs.toFixed(0)} ms, ${SMALL} in ${smallMs.toFixed(0)} ms; /healthz ×${health.length}, max ${worst.toFixed(0)} ms`;
      t.diagnostic(detail);
      assert.ok(ratio < PER_OBJECT_RATIO_BOUND, `not linear: ${detail}`);
      assert.ok(health.length >= 5, `too few /healthz answers: ${detail}`);
      assert.ok(worst < HEALTH_BOUND_MS, `the server stalled: ${detail}`);
    });

    it('shows a poller of the status a consistent resource while the envelope is processed', async () => {
      const org = await makeOrg(s);
      const m = await memberWithToken(s, org.id);
      const taxii = TaxiiClient.basic(s, m.email, m.token);
      const objects = `${ROOT}/collections/${await taxii.collectionTitled(org.name)}/objects/`;
      const n = 100_000;
      let polling = true;
      const seen = { polls: 0, halfway: 0 };
      // Progress is written every ~200 ms. The status id is not known before the answer: find it
      // in the database, then poll it (each answer lists up to n details: polling back to back
      // would slow the processing it watches). n is large enough for several progress writes
      // on a loaded machine.
      const poller = (async () => {
        let id: string | undefined;
        while (polling && id === undefined) {
          await new Promise((r) => setTimeout(r, 20));
          const row = await s.db.kysely
            .selectFrom('taxii_statuses')
            .select('id')
            .where('org_id', '=', org.id)
            .where('status', '=', 'pending')
            .executeTakeFirst();
          id = row?.id;
        }
        while (polling) {
          await new Promise((r) => setTimeout(r, 50));
          const st = await taxii.get(`${ROOT}/status/${id}/`);
          assert.equal(st.status, 200);
          assert.equal(st.body.total_count, n);
          assertConsistent(st.body);
          seen.polls++;
          if (st.body.pending_count > 0 && st.body.failure_count > 0) seen.halfway++;
        }
      })();
      const r = await taxii.post(objects, { objects: Array.from({ length: n }, () => ({})) });
      polling = false;
      await poller;
      assert.equal(r.status, 202);
      assertConsistent(r.body);
      assert.equal(r.body.failure_count, n);
      assert.ok(seen.halfway > 0, `no status seen half-way (${JSON.stringify(seen)})`);
    });
  },
);
