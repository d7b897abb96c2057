import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PASSWORD, uniqueEmail } from '../support/arrange.ts';
import { describeEachEngine } from '../support/databases.ts';
import { Client } from '../support/json-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachEngine('first-run setup guard', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => s.close());

  it('an application filed before setup does not close first-run setup', async () => {
    // The application endpoint is public: a stranger's pending organization must not lock the
    // operator out of their own fresh instance.
    const c = new Client(s.url);
    const applied = await c.post('/api/v1/applications', {
      organization: { name: 'Early Bird Vendor', kind: 'private', role: 'vendor' },
      applicant: { email: uniqueEmail('early'), displayName: 'Early', password: PASSWORD },
    });
    assert.equal(applied.status, 201);
    assert.deepEqual((await c.get('/api/v1/setup')).body, { needed: true });
    const setup = await c.post('/api/v1/setup', {
      setupCode: s.setupCode,
      organization: { name: 'State ISAC', kind: 'nonprofit', jurisdiction: 'US-NC' },
      admin: { email: uniqueEmail('operator'), displayName: 'Op', password: PASSWORD },
    });
    assert.equal(setup.status, 201, JSON.stringify(setup.body));
    assert.equal(setup.body.organization.isOperator, true);
  });
});
