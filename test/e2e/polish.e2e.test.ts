// Browser end-to-end test of the web-app findings of issue 10 §7: a real server in a child process
// on a fresh data directory (embedded SQLite, like every browser test: the server-side parts have
// their own tests on both databases), driven by Debian's Chromium via playwright-core.
// The steps run in order (node:test runs a describe's tests serially): first-run setup and MFA
// enrollment make the administrator the later steps use.
// Set TABELLA_E2E_SCREENSHOTS=<dir> to keep screenshots of the pages at 390 px and 1280 px.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page, request } from 'playwright-core';
import {
  browserSkip,
  type E2eServer,
  launchChromium,
  ROOT,
  saveRecoveryCodes,
  startServer,
  stopBrowserAndServer,
} from '../support/e2e.ts';
import { totp } from '../support/totp.ts';

const skip = browserSkip('polish');

const ADMIN = { email: 'ops@polish.example', password: 'correct horse battery staple' };
const ANALYST_PASSWORD = 'an analyst passphrase 2026';
const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.TABELLA_E2E_SCREENSHOTS;
  if (dir !== undefined && dir !== '')
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The words of the page's title that the browser broke across lines (each should be one box). */
async function brokenTitleWords(page: Page): Promise<string[]> {
  return page.locator('.page-header h1').evaluate((h1) => {
    const broken: string[] = [];
    const text = h1.firstChild;
    if (text === null || text.nodeType !== Node.TEXT_NODE) return ['(no text)'];
    const value = text.textContent ?? '';
    for (const m of value.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      if (range.getClientRects().length !== 1) broken.push(m[0]);
    }
    return broken;
  });
}

/** How far the page header (title and actions) reaches past the viewport's right edge, in px. */
async function headerOverflow(page: Page): Promise<number> {
  return page.locator('.page-header').evaluate((header) => {
    let right = header.getBoundingClientRect().right;
    for (const child of header.querySelectorAll('*'))
      right = Math.max(right, child.getBoundingClientRect().right);
    return Math.max(0, right - document.documentElement.clientWidth);
  });
}

/** How far the page can be scrolled sideways, in px (0: nothing sticks out of the viewport). */
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('web app polish in the browser (issue 10 §7)', { skip, timeout: 240_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let admin: Page;
  let base = '';
  const pageErrors: string[] = [];

  /** Runs the CLI against the server's data directory and parses its one JSON object. */
  function cli(args: readonly string[]): Record<string, unknown> {
    assert.ok(server);
    const run = spawnSync(
      process.execPath,
      ['bin/tabella.mjs', ...args, '--data-dir', server.dataDir, '--json'],
      { cwd: ROOT, env: server.env, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, `tabella ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  function operatorOrgId(): string {
    const items = cli(['org', 'list']).items as { id: string; isOperator: boolean }[];
    const id = items.find((o) => o.isOperator)?.id;
    assert.ok(id !== undefined, 'the operator organization exists');
    return id;
  }

  /**
   * REST calls with the administrator's API token, through a request context made for the step
   * (its own connections): the process-wide fetch pool may still hold the health check's keep-alive
   * socket, which the server closes after its idle timeout — a POST caught on it fails with "other
   * side closed" and is not retried.
   */
  async function restClient(token: string) {
    const api = await request.newContext({
      baseURL: base,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await api.fetch(path, { method, ...(body === undefined ? {} : { data: body }) });
      const text = await res.text();
      assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${text}`);
      return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    };
    return { call, dispose: () => api.dispose() };
  }

  async function newPage(viewport = DESKTOP): Promise<Page> {
    assert.ok(browser);
    const context = await browser.newContext({ viewport });
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  /** Fills the Apply form with valid values, except those the step sets itself. */
  async function fillApplication(p: Page, o: { jurisdiction: string; password: string; repeat: string }) {
    await p
      .getByLabel('Organization name')
      .fill(`Durham County Board of Elections ${randomUUID().slice(0, 8)}`);
    await p.getByLabel('Jurisdiction (optional)').fill(o.jurisdiction);
    await p.getByLabel('Display name').fill('Casey Clerk');
    await p.getByLabel('Work e-mail address').fill(`clerk-${randomUUID().slice(0, 8)}@durham.example`);
    await p.getByLabel('Password', { exact: true }).fill(o.password);
    await p.getByLabel('Repeat password').fill(o.repeat);
  }

  before(async () => {
    server = await startServer({ tmpPrefix: 'tabella-e2e-polish-' });
    base = server.base;
    browser = await launchChromium();
    admin = await newPage();
  });

  after(async () => {
    await stopBrowserAndServer(browser, server);
  });

  it('keeps the “MFA is on” confirmation through the redirect after enrollment, and shows it once', async () => {
    await admin.goto(`${base}/`);
    await admin.waitForURL('**/setup');
    await admin.getByLabel('Setup code').fill(server?.setupCode() ?? '');
    await admin.getByLabel('Organization name').fill('Polish State ISAC');
    await admin.getByLabel('Kind').selectOption('nonprofit');
    await admin.getByLabel('Display name').fill('Olive Operator');
    await admin.getByLabel('E-mail address').fill(ADMIN.email);
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Repeat password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create organization and administrator' }).click();
    await admin.waitForURL('**/mfa');
    const secret = await admin.getByLabel('Secret key').inputValue();
    await admin.getByLabel('Authentication code').fill(totp(secret));
    await admin.getByRole('button', { name: 'Confirm and turn on' }).click();
    await saveRecoveryCodes(admin);
    // An administrator is sent home, which redirects to the members page: the notice survives that.
    await admin.waitForURL('**/members');
    const notice = admin
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'Two-factor authentication is on' });
    await notice.waitFor();
    await admin.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(await notice.count(), 1);
    await shot(admin, 'mfa-confirmed-1280');
    // Shown once: a reload does not bring it back, nor does coming back to the page.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(await notice.count(), 0);
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await admin.getByRole('heading', { name: 'Sharing groups', level: 1 }).waitFor();
    await admin.goBack();
    await admin.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(await notice.count(), 0);
  });

  it('shows the confirmation on the account page to a member who enrolls from there', async () => {
    const member = cli([
      'member',
      'create',
      '--org',
      operatorOrgId(),
      '--email',
      'ana@polish.example',
      '--role',
      'analyst',
    ]);
    const p = await newPage(MOBILE);
    await p.goto(`${base}${new URL(String(member.invitationUrl)).pathname}`);
    await p.getByLabel('Choose a password').fill(ANALYST_PASSWORD);
    await p.getByLabel('Repeat password').fill(ANALYST_PASSWORD);
    await p.getByRole('button', { name: 'Join and sign in' }).click();
    await p.waitForURL('**/members');
    await p.goto(`${base}/account`);
    await p.getByRole('link', { name: 'Set up two-factor authentication' }).click();
    await p.waitForURL('**/mfa');
    await p.getByLabel('Authentication code').fill(totp(await p.getByLabel('Secret key').inputValue()));
    await p.getByRole('button', { name: 'Confirm and turn on' }).click();
    await saveRecoveryCodes(p);
    await p.waitForURL('**/account');
    await p
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'Two-factor authentication is on' })
      .waitFor();
    await shot(p, 'account-mfa-confirmed-390');
    await p.context().close();
  });

  it('keeps a jurisdiction as typed (“North Carolina”) and shows the server’s error beside it', async () => {
    const p = await newPage(MOBILE);
    await p.goto(`${base}/apply`);
    await fillApplication(p, {
      jurisdiction: 'North Carolina',
      password: ADMIN.password,
      repeat: ADMIN.password,
    });
    const field = p.getByLabel('Jurisdiction (optional)');
    assert.equal(await field.inputValue(), 'North Carolina');
    const [answer] = await Promise.all([
      p.waitForResponse((r) => r.url().endsWith('/api/v1/applications')),
      p.getByRole('button', { name: 'Send application' }).click(),
    ]);
    assert.equal(answer.status(), 400);
    const body = (await answer.json()) as { code: string; fields?: string[] };
    // Longer than any code (10 characters): the route's schema refuses it before the code check.
    assert.equal(body.code, 'VALIDATION_FAILED');
    assert.deepEqual(body.fields, ['organization.jurisdiction']);
    await p.getByRole('alert').waitFor();
    assert.equal(await field.inputValue(), 'North Carolina');
    await shot(p, 'apply-jurisdiction-error-390');
    await p.context().close();
  });

  it('asks for the password twice on the Apply page and sends nothing when the two differ', async () => {
    const p = await newPage(MOBILE);
    const sent: string[] = [];
    p.on('request', (r) => {
      if (r.url().endsWith('/api/v1/applications')) sent.push(r.method());
    });
    await p.goto(`${base}/apply`);
    await fillApplication(p, { jurisdiction: '', password: ADMIN.password, repeat: `${ADMIN.password}!` });
    await p.getByRole('button', { name: 'Send application' }).click();
    await p.getByRole('alert').waitFor();
    assert.deepEqual(sent, []);
    await shot(p, 'apply-password-mismatch-390');
    // Made the same, the application goes out.
    await p.getByLabel('Repeat password').fill(ADMIN.password);
    await p.getByRole('button', { name: 'Send application' }).click();
    await p.getByRole('heading', { name: 'Application received' }).waitFor();
    assert.deepEqual(sent, ['POST']);
    await p.context().close();
  });

  it('applies as a county election office with jurisdiction US-NC-063', async () => {
    for (const viewport of [MOBILE, DESKTOP]) {
      const p = await newPage(viewport);
      await p.goto(`${base}/apply`);
      await fillApplication(p, {
        jurisdiction: 'us-nc-063',
        password: ADMIN.password,
        repeat: ADMIN.password,
      });
      assert.equal(await p.getByLabel('Jurisdiction (optional)').inputValue(), 'us-nc-063');
      await shot(p, `apply-county-${viewport.width}`);
      const [answer] = await Promise.all([
        p.waitForResponse((r) => r.url().endsWith('/api/v1/applications')),
        p.getByRole('button', { name: 'Send application' }).click(),
      ]);
      assert.equal(answer.status(), 201, await answer.text());
      const body = (await answer.json()) as { organization: { jurisdiction: string } };
      assert.equal(body.organization.jurisdiction, 'US-NC-063');
      await p.getByRole('heading', { name: 'Application received' }).waitFor();
      await p.context().close();
    }
  });

  it('breaks no page title inside a word at 390 px, and nothing makes the page scroll sideways', async () => {
    const titles: Record<string, string> = {
      intel: 'Intelligence',
      organizations: 'Organizations',
      members: 'Members',
      groups: 'Sharing groups',
      feeds: 'TAXII feeds',
      tokens: 'API tokens',
      oversight: 'Oversight',
      account: 'Account',
    };
    for (const viewport of [MOBILE, DESKTOP]) {
      await admin.setViewportSize(viewport);
      for (const [path, title] of Object.entries(titles)) {
        await admin.goto(`${base}/${path}`);
        await admin.getByRole('heading', { name: title, level: 1 }).waitFor();
        await admin.waitForLoadState('networkidle');
        assert.deepEqual(await brokenTitleWords(admin), [], `${path} at ${viewport.width} px`);
        assert.equal(await headerOverflow(admin), 0, `${path} at ${viewport.width} px`);
        assert.equal(await pageOverflow(admin), 0, `${path} at ${viewport.width} px scrolls sideways`);
        await shot(admin, `title-${path}-${viewport.width}`);
      }
    }
    await admin.setViewportSize(DESKTOP);
  });

  it('does not offer, in the relay panel, the group the object is already shared to', async () => {
    const rest = await restClient(
      String(cli(['token', 'create', '--member', ADMIN.email, '--name', 'e2e']).token),
    );
    const wake = [
      '--name',
      'Wake County Board of Elections',
      '--kind',
      'government',
      '--role',
      'election-office',
    ];
    const county = cli(['org', 'create', ...wake, '--jurisdiction', 'US-NC-183', '--vetted']);
    assert.equal(county.jurisdiction, 'US-NC-183');
    const analyst = cli([
      'member',
      'create',
      '--org',
      String(county.id),
      '--email',
      'wes@wake.example',
      '--role',
      'analyst',
    ]);
    const sharedTo = await rest.call('POST', '/api/v1/groups', {
      name: 'Triangle election offices',
      orgIds: [county.id],
    });
    await rest.call('POST', '/api/v1/groups', { name: 'Piedmont working group', orgIds: [county.id] });
    const t = new Date().toISOString();
    const stixId = `indicator--${randomUUID()}`;
    const shared = await rest.call('POST', '/api/v1/intel', {
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: stixId,
          created: t,
          modified: t,
          name: 'Voter-lookup phishing domain',
          pattern: "[domain-name:value = 'lookup-your-vote.example']",
          pattern_type: 'stix',
          valid_from: t,
        },
      ],
      tlp: 'green',
      distribution: { kind: 'group', groupId: sharedTo.id },
    });
    assert.equal((shared.successes as unknown[]).length, 1, JSON.stringify(shared));
    await rest.dispose();

    const p = await newPage(MOBILE);
    await p.goto(`${base}${new URL(String(analyst.invitationUrl)).pathname}`);
    await p.getByLabel('Choose a password').fill(ANALYST_PASSWORD);
    await p.getByLabel('Repeat password').fill(ANALYST_PASSWORD);
    await p.getByRole('button', { name: 'Join and sign in' }).click();
    await p.waitForURL('**/members');
    await p.goto(`${base}/intel/${encodeURIComponent(stixId)}`);
    await p.getByRole('heading', { name: 'Relay to a sharing group' }).waitFor();
    // The object's page names the group it is shared to; the relay panel offers only the other one.
    await p.getByTestId('intel-distribution').getByText('Triangle election offices').waitFor();
    const select = p.getByRole('combobox', { name: 'Sharing group' });
    const offered = (await select.locator('option').allTextContents()).slice(1);
    assert.deepEqual(offered, ['Piedmont working group']);
    await p.getByRole('heading', { name: 'Versions' }).waitFor();
    await p.getByRole('table').first().waitFor();
    assert.equal(await pageOverflow(p), 0, 'the object page scrolls sideways at 390 px');
    await shot(p, 'relay-panel-390');
    await select.selectOption({ label: 'Piedmont working group' });
    await p.getByRole('button', { name: 'Relay', exact: true }).click();
    await p.getByRole('status').filter({ hasText: 'Piedmont working group' }).waitFor();
    // Relayed there too, the object has no group of the member's left to go to.
    await p.getByTestId('relay-no-other-group').waitFor();
    assert.equal(await select.count(), 0);
    await p.setViewportSize(DESKTOP);
    await shot(p, 'relay-panel-1280');
    await p.context().close();
  });

  it('raised no error in any page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
