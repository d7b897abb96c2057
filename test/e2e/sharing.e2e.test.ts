// Browser end-to-end test of sharing (issue 4): a real server in a child process on a fresh data
// directory (demo seed, so first-run setup is done), three vetted organizations created with the
// CLI, and their analysts driving the built web app in separate browser contexts (Debian's
// Chromium via playwright-core). Organization A shares one object TLP:GREEN to the community and
// one TLP:AMBER to organization C only; B sees the first and not the second — not in the list,
// not by its URL, not in an export. C makes a sharing group with B and relays both objects into it
// (the AMBER relay must not widen its audience); B's TAXII feeds page counts exactly what it may
// see; A deletes the GREEN object from its page and it is gone for B. Every planted script payload
// stays inert text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  browserSkip,
  type E2eServer,
  launchChromium,
  pwned,
  ROOT,
  startServer,
  stopBrowserAndServer,
} from '../support/e2e.ts';

const skip = browserSkip('sharing');

// Script payloads planted in attacker-controlled text; none of them may run.
const IMG_PAYLOAD = '<img src=x onerror=window.__pwned=1>';
const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';

const ORGS = {
  a: { name: `Alpha Threat Labs ${IMG_PAYLOAD}`, role: 'security-firm', kind: 'private' },
  b: { name: 'Bravo County Board of Elections', role: 'election-office', kind: 'government' },
  c: { name: 'Charlie State Cyber Agency', role: 'cyber-agency', kind: 'government' },
} as const;
type OrgKey = keyof typeof ORGS;

const PASSWORD = 'a long analyst passphrase 2026';

const GREEN_ID = `indicator--${randomUUID()}`;
const GREEN_NAME = `Phishing domain ${IMG_PAYLOAD}`;
const GREEN_DESCRIPTION = `Seen in poll-worker e-mails. ${SCRIPT_PAYLOAD}\n<b>bold?</b> ${IMG_PAYLOAD}`;
const AMBER_ID = `indicator--${randomUUID()}`;
const AMBER_NAME = 'Amber-only C2 address for Charlie';

function indicator(id: string, name: string, description: string, pattern: string): Record<string, unknown> {
  const t = new Date().toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: t,
    modified: t,
    name,
    description,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: t,
  };
}

describe('sharing intelligence in the browser', { skip, timeout: 240_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let base = '';
  const orgIds: Record<OrgKey, string> = { a: '', b: '', c: '' };
  const invitations: Record<OrgKey, string> = { a: '', b: '', c: '' };
  let bravoToken = '';
  const pages: Partial<Record<OrgKey, Page>> = {};
  const pageErrors: string[] = [];

  /** Runs the CLI against the server's data directory and parses its one JSON object. */
  function cli(args: readonly string[]): Record<string, unknown> {
    assert.ok(server);
    const run = spawnSync(
      process.execPath,
      ['bin/tabella.mjs', ...args, '--data-dir', server.dataDir, '--json'],
      {
        cwd: ROOT,
        env: server.env,
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 0, `tabella ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  function page(key: OrgKey): Page {
    const p = pages[key];
    assert.ok(p, `no browser page for ${key}`);
    return p;
  }

  before(async () => {
    // The demo seed completes first-run setup (an operator exists); the test's own organizations
    // come from the CLI below, as an operator would register them.
    server = await startServer({ tmpPrefix: 'tabella-e2e-sharing-', args: ['--demo'] });
    base = server.base;

    for (const key of ['a', 'b', 'c'] as const) {
      const o = ORGS[key];
      const org = cli(['org', 'create', '--name', o.name, '--kind', o.kind, '--role', o.role, '--vetted']);
      orgIds[key] = String(org.id);
      const member = cli([
        'member',
        'create',
        '--org',
        orgIds[key],
        '--email',
        `analyst@${key}.example`,
        '--name',
        `Analyst ${key.toUpperCase()}`,
        '--role',
        'analyst',
      ]);
      invitations[key] = new URL(String(member.invitationUrl)).pathname;
    }

    browser = await launchChromium();
  });

  after(async () => {
    await stopBrowserAndServer(browser, server);
  });

  /** Accepts the analyst's invitation in a fresh browser context: a password, no MFA, signed in. */
  async function signUp(key: OrgKey): Promise<Page> {
    assert.ok(browser);
    const context = await browser.newContext();
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${key}: ${e.message}`));
    p.on('dialog', (d) => void d.accept());
    await p.goto(`${base}${invitations[key]}`);
    await p.getByLabel('Choose a password').fill(PASSWORD);
    await p.getByLabel('Repeat password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Join and sign in' }).click();
    await p.waitForURL('**/members');
    assert.equal(await p.getByTestId('whoami-org').textContent(), ORGS[key].name);
    pages[key] = p;
    return p;
  }

  it('signs in an analyst of organization A, who sees no intelligence yet', async () => {
    const a = await signUp('a');
    await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intelligence' }).click();
    await a.getByRole('heading', { name: 'Intelligence', level: 1 }).waitFor();
    await a.getByText('Nothing has been shared with you yet.').waitFor();
  });

  it('shares a TLP:GREEN indicator with script payloads to the community', async () => {
    const a = page('a');
    await a.getByRole('link', { name: 'Share intelligence' }).click();
    await a.getByRole('heading', { name: 'Share intelligence' }).waitFor();
    const object = indicator(
      GREEN_ID,
      GREEN_NAME,
      GREEN_DESCRIPTION,
      "[domain-name:value = 'pollworker-pay.example']",
    );
    await a.getByLabel('STIX object, list of objects or bundle').fill(JSON.stringify(object, null, 2));
    await a.getByRole('radio', { name: 'TLP:GREEN' }).check();
    await a.getByRole('radio', { name: 'The community' }).check();
    await a.getByRole('button', { name: 'Share', exact: true }).click();
    const result = a.getByTestId('share-result');
    await result.getByText('1 object shared.').waitFor();
    assert.equal(await result.getByRole('link', { name: GREEN_ID }).count(), 1);
  });

  it('uploads a bundle file shared TLP:AMBER to organization C only', async () => {
    const a = page('a');
    // A fresh form: the defaults are TLP:AMBER and the community.
    await a.goto(`${base}/intel/new`);
    const bundle = {
      type: 'bundle',
      id: `bundle--${randomUUID()}`,
      objects: [indicator(AMBER_ID, AMBER_NAME, 'For Charlie only.', "[ipv4-addr:value = '203.0.113.77']")],
    };
    await a.getByLabel('Upload a bundle (.json)').setInputFiles({
      name: 'amber-bundle.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bundle)),
    });
    await a.getByText('Loaded amber-bundle.json').waitFor();
    assert.match(
      await a.getByLabel('STIX object, list of objects or bundle').inputValue(),
      /"type":"bundle"/,
    );
    assert.equal(await a.getByRole('radio', { name: 'TLP:AMBER', exact: true }).isChecked(), true);
    await a.getByRole('radio', { name: 'Named organizations' }).check();
    await a.getByLabel(ORGS.c.name).check();
    await a.getByRole('button', { name: 'Share', exact: true }).click();
    const result = a.getByTestId('share-result');
    await result.getByText('1 object shared.').waitFor();
    assert.equal(await result.getByRole('link', { name: AMBER_ID }).count(), 1);
  });

  it('lists both objects for their owner with TLP badges', async () => {
    const a = page('a');
    await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intelligence' }).click();
    const rows = a.getByTestId('intel-row');
    await rows.filter({ hasText: AMBER_NAME }).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(
      await rows.filter({ hasText: AMBER_NAME }).getByTestId('tlp-badge').textContent(),
      'TLP:AMBER',
    );
    assert.equal(
      await rows.filter({ hasText: 'Phishing domain' }).getByTestId('tlp-badge').textContent(),
      'TLP:GREEN',
    );
    assert.equal(await pwned(a), undefined);
  });

  it('shows organization B the GREEN object and not the AMBER one', async () => {
    const b = await signUp('b');
    await b.goto(`${base}/intel`);
    const rows = b.getByTestId('intel-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const names = await rows.locator('th').allTextContents();
    assert.deepEqual(names, [GREEN_NAME]);
    assert.equal(await b.getByText(AMBER_NAME).count(), 0);
    // Searching for it finds nothing either.
    await b.getByLabel('Search', { exact: true }).fill('Charlie');
    await b.getByRole('button', { name: 'Search', exact: true }).click();
    await b.getByText('No objects match these filters.').waitFor();
  });

  it('renders the payloads on the detail page as text and runs none of them', async () => {
    const b = page('b');
    await b.goto(`${base}/intel/${encodeURIComponent(GREEN_ID)}`);
    const heading = b.getByRole('heading', { level: 1 });
    await heading.waitFor();
    assert.equal(await heading.textContent(), GREEN_NAME);
    assert.equal(await b.getByTestId('intel-description').textContent(), GREEN_DESCRIPTION);
    const json = JSON.parse((await b.getByTestId('intel-json').textContent()) ?? '') as {
      id: string;
      name: string;
      description: string;
    };
    assert.equal(json.id, GREEN_ID);
    assert.equal(json.name, GREEN_NAME);
    assert.equal(json.description, GREEN_DESCRIPTION);
    await b.getByText(ORGS.a.name, { exact: true }).first().waitFor();
    assert.equal(await b.locator('img[src="x"]').count(), 0);
    assert.equal(await b.locator('main script, main b').count(), 0);
    assert.equal(await pwned(b), undefined);
  });

  it('answers not-found for the AMBER object’s address, in the browser and the API', async () => {
    const b = page('b');
    await b.goto(`${base}/intel/${encodeURIComponent(AMBER_ID)}`);
    await b.getByTestId('intel-not-found').waitFor();
    assert.equal(await b.getByText(AMBER_NAME).count(), 0);

    const token = cli(['token', 'create', '--member', 'analyst@b.example', '--name', 'e2e export']);
    bravoToken = String(token.token);
    const auth = { authorization: `Bearer ${bravoToken}` };
    const direct = await fetch(`${base}/api/v1/intel/${encodeURIComponent(AMBER_ID)}`, { headers: auth });
    assert.equal(direct.status, 404);
    const exported = await fetch(`${base}/api/v1/exports/stix`, { headers: auth });
    assert.equal(exported.status, 200);
    const text = await exported.text();
    assert.ok(text.includes(GREEN_ID), 'the GREEN object is exported');
    assert.ok(!text.includes(AMBER_ID), 'the AMBER object is not exported');
  });

  it('downloads the STIX export of B’s view from the Intelligence page', async () => {
    const b = page('b');
    await b.goto(`${base}/intel`);
    await b.getByTestId('intel-row').first().waitFor();
    const [download] = await Promise.all([b.waitForEvent('download'), b.getByTestId('export-stix').click()]);
    assert.equal(download.suggestedFilename(), 'tabella-intel.stix.json');
    const bundle = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      type: string;
      objects: { id: string }[];
    };
    assert.equal(bundle.type, 'bundle');
    const ids = bundle.objects.map((o) => o.id);
    assert.ok(ids.includes(GREEN_ID));
    assert.ok(!ids.includes(AMBER_ID));
  });

  it('shows organization C both objects', async () => {
    const c = await signUp('c');
    await c.goto(`${base}/intel`);
    const rows = c.getByTestId('intel-row');
    await rows.filter({ hasText: AMBER_NAME }).waitFor();
    assert.equal(await rows.count(), 2);
    await c.goto(`${base}/intel/${encodeURIComponent(AMBER_ID)}`);
    assert.equal(await c.getByRole('heading', { level: 1 }).textContent(), AMBER_NAME);
    assert.equal(await c.getByTestId('intel-distribution').textContent(), 'Named organizations');
  });

  const GROUP_NAME = `Triangle working group ${IMG_PAYLOAD}`;

  /** The TAXII feeds page's rows: title → objects the member sees, and the collection ids. */
  async function feeds(p: Page): Promise<Map<string, { objects: string; id: string }>> {
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'TAXII' }).click();
    await p.getByRole('heading', { name: 'TAXII feeds', level: 1 }).waitFor();
    const rows = p.getByTestId('taxii-collection');
    await rows.first().waitFor();
    const out = new Map<string, { objects: string; id: string }>();
    for (const row of await rows.all()) {
      const title = (await row.getByTestId('taxii-collection-title').textContent()) ?? '';
      const objects = (await row.getByTestId('taxii-collection-objects').textContent()) ?? '';
      const id = (await row.locator('td.mono').textContent()) ?? '';
      out.set(title, { objects, id });
    }
    return out;
  }

  it('lets C create a sharing group with B in the Groups page', async () => {
    const c = page('c');
    await c.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await c.getByRole('button', { name: 'New group' }).click();
    await c.getByLabel('Group name').fill(GROUP_NAME);
    await c.getByLabel(ORGS.b.name).check();
    await c.getByRole('button', { name: 'Create group' }).click();
    const card = c.getByTestId('group-card').filter({ hasText: 'Triangle working group' });
    await card.waitFor();
    assert.equal(await card.getByRole('heading').textContent(), GROUP_NAME);
  });

  it('relays the GREEN object into the group from its detail page, and the AMBER one without widening it', async () => {
    const c = page('c');
    for (const id of [GREEN_ID, AMBER_ID]) {
      await c.goto(`${base}/intel/${encodeURIComponent(id)}`);
      await c.getByRole('heading', { name: 'Relay to a sharing group' }).waitFor();
      await c.getByRole('combobox', { name: 'Sharing group' }).selectOption({ label: GROUP_NAME });
      await c.getByRole('button', { name: 'Relay', exact: true }).click();
      await c.getByText(`Relayed to ${GROUP_NAME}.`).waitFor();
    }
  });

  it('shows B its TAXII collections with exactly what it may see in each', async () => {
    const b = page('b');
    const list = await feeds(b);
    assert.deepEqual([...list.keys()].sort(), ['Community', GROUP_NAME, ORGS.b.name, 'Public'].sort());
    assert.equal(list.get('Community')?.objects, '1');
    assert.equal(list.get('Public')?.objects, '0');
    assert.equal(list.get(ORGS.b.name)?.objects, '0');
    // The AMBER relay did not widen its audience: B sees only the GREEN object in the group.
    assert.equal(list.get(GROUP_NAME)?.objects, '1');
    assert.equal(await b.locator('img[src="x"]').count(), 0);

    // A TAXII client with B's token finds the same in the group's collection.
    const groupId = list.get(GROUP_NAME)?.id ?? '';
    const res = await fetch(`${base}/taxii2/api/collections/${groupId}/objects/`, {
      headers: {
        accept: 'application/taxii+json;version=2.1',
        authorization: `Basic ${Buffer.from(`analyst@b.example:${bravoToken}`).toString('base64')}`,
      },
    });
    assert.equal(res.status, 200);
    const envelope = (await res.json()) as { objects?: { id: string }[] };
    assert.deepEqual(
      (envelope.objects ?? []).map((o) => o.id),
      [GREEN_ID],
    );
  });

  it('lets A delete the GREEN object from its detail page; it is gone for B everywhere', async () => {
    const a = page('a');
    await a.goto(`${base}/intel/${encodeURIComponent(GREEN_ID)}`);
    await a.getByRole('heading', { level: 1 }).waitFor();
    // The confirmation dialog is accepted by the page's dialog handler.
    await a.getByRole('button', { name: 'Delete', exact: true }).click();
    await a.waitForURL(/\/intel$/);
    const rows = a.getByTestId('intel-row');
    await rows.filter({ hasText: AMBER_NAME }).waitFor();
    assert.equal(await rows.count(), 1);

    const b = page('b');
    await b.goto(`${base}/intel/${encodeURIComponent(GREEN_ID)}`);
    await b.getByTestId('intel-not-found').waitFor();
    const list = await feeds(b);
    assert.equal(list.get('Community')?.objects, '0');
    assert.equal(list.get(GROUP_NAME)?.objects, '0');
  });

  it('leads from the member’s name in the header to their account page', async () => {
    const c = page('c');
    await c.getByRole('link', { name: /^Your account/ }).click();
    await c.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    assert.match(c.url(), /\/account$/);
  });

  it('ran no planted script anywhere', async () => {
    for (const key of ['a', 'b', 'c'] as const) assert.equal(await pwned(page(key)), undefined, key);
    assert.deepEqual(pageErrors, []);
  });
});
