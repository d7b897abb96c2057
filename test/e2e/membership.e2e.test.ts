// Browser end-to-end test of membership (issue 2): a real server in a child process on a fresh
// data directory, driven through the built web app by Debian's Chromium via playwright-core.
// The steps below form one journey and run in order (node:test runs a describe's tests serially).
// The journey ends on the Oversight page: the transparency log, the audit trail and a receipt.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserSkip,
  type E2eServer,
  launchChromium,
  pwned,
  ROOT,
  saveRecoveryCodes,
  startServer,
  stopBrowserAndServer,
} from '../support/e2e.ts';
import { totp } from '../support/totp.ts';

const skip = browserSkip('membership');

// Script payloads planted in attacker-controlled text; none of them may run.
const IMG_PAYLOAD = '<img src=x onerror=window.__pwned=1>';
const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';

const ORG_NAME = `Piedmont ISAC ${IMG_PAYLOAD}`;
const ADMIN = {
  name: 'Alex Operator',
  email: 'alex@piedmont-isac.example',
  password: 'correct horse battery staple',
};
const INVITEE = {
  name: `${SCRIPT_PAYLOAD} Dana Analyst`,
  email: 'dana@piedmont-isac.example',
  password: 'another long passphrase 42',
};
const NEW_ORG = `${SCRIPT_PAYLOAD} Wake County Board of Elections`;
// The token's name is recorded in the audit event's details, shown on the Oversight page.
const TOKEN_NAME = `e2e script ${IMG_PAYLOAD}`;

describe('membership in the browser', { skip, timeout: 240_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let admin: Page;
  let inviteeContext: BrowserContext | undefined;
  let base = '';
  let mfaSecret = '';
  let invitationPath = '';
  const pageErrors: string[] = [];

  before(async () => {
    // Sequence audit events into the transparency log quickly, so receipts are ready at once.
    server = await startServer({ tmpPrefix: 'tabella-e2e-', env: { TABELLA_LOG_INTERVAL_MS: '200' } });
    base = server.base;
    browser = await launchChromium();
    const context = await browser.newContext();
    admin = await context.newPage();
    admin.on('pageerror', (e) => pageErrors.push(e.message));
    admin.on('dialog', (d) => void d.accept());
  });

  after(async () => {
    await inviteeContext?.close().catch(() => {});
    await stopBrowserAndServer(browser, server);
  });

  it('runs first-run setup, which needs the setup code the server printed', async () => {
    assert.ok(server !== undefined);
    const code = server.setupCode();
    assert.match(code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    assert.ok(server.output().includes(code), 'the server prints the setup code on its console');
    await admin.goto(`${base}/`);
    await admin.waitForURL('**/setup');
    await admin.getByLabel('Setup code').fill('WRONG-WRONG-WRONG-WRONG');
    await admin.getByLabel('Organization name').fill(ORG_NAME);
    await admin.getByLabel('Kind').selectOption('nonprofit');
    await admin.getByLabel('Jurisdiction (optional)').fill('US-NC');
    await admin.getByLabel('Display name').fill(ADMIN.name);
    await admin.getByLabel('E-mail address').fill(ADMIN.email);
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Repeat password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create organization and administrator' }).click();
    await admin.getByText('That setup code is not right', { exact: false }).waitFor();
    await admin.getByLabel('Setup code').fill(code.toLowerCase());
    await admin.getByRole('button', { name: 'Create organization and administrator' }).click();
    // Administrators are held on MFA enrollment until they have enrolled.
    await admin.waitForURL('**/mfa');
    assert.equal(existsSync(join(server.dataDir, 'setup-code')), false, 'setup spends the code');
  });

  it('enrolls TOTP multi-factor authentication with a QR code', async () => {
    const qr = admin.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml/);
    mfaSecret = await admin.getByLabel('Secret key').inputValue();
    assert.match(mfaSecret, /^[A-Z2-7]{16,}$/);
    await admin.getByLabel('Authentication code').fill(totp(mfaSecret));
    await admin.getByRole('button', { name: 'Confirm and turn on' }).click();
    await saveRecoveryCodes(admin);
    await admin.waitForURL('**/members');
    assert.equal(await admin.getByTestId('whoami-org').textContent(), ORG_NAME);
    assert.equal(await admin.getByTestId('whoami-name').textContent(), ADMIN.name);
  });

  it('signs out and back in with password and TOTP', async () => {
    await admin.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await admin.waitForURL('**/sign-in');
    await admin.getByLabel('E-mail address').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    // The code of the enrollment step is spent; the next step's code is within the ±1 window.
    await admin.getByLabel('Authentication code').fill(totp(mfaSecret, Date.now() + 30_000));
    await admin.getByRole('button', { name: 'Verify' }).click();
    await admin.waitForURL('**/members');
    // A reload keeps the session (cookie) and re-reads the CSRF token from GET /api/v1/session.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Members' }).waitFor();
  });

  it('invites a member and shows the invitation link once', async () => {
    await admin.getByRole('button', { name: 'Invite member' }).click();
    await admin.getByLabel('Display name').fill(INVITEE.name);
    await admin.getByLabel('E-mail address').fill(INVITEE.email);
    await admin.getByRole('button', { name: 'Create invitation' }).click();
    const link = await admin.getByLabel('Invitation link').inputValue();
    const url = new URL(link);
    assert.match(url.pathname, /^\/invite\/[^/]+$/);
    invitationPath = url.pathname;
    await admin.getByRole('button', { name: 'Done' }).click();
    const row = admin.getByTestId('member-row').filter({ hasText: INVITEE.email });
    await row.waitFor();
    assert.ok((await row.textContent())?.includes(INVITEE.name), 'display name shown literally');
    assert.ok((await row.textContent())?.includes('Invited'));
    // Nobody edits themselves: the admin's own row has no actions.
    const own = admin.getByTestId('member-row').filter({ hasText: ADMIN.email });
    assert.equal(await own.getByRole('button').count(), 0);
  });

  it('accepts the invitation in a second browser', async () => {
    assert.ok(browser);
    inviteeContext = await browser.newContext();
    const invitee = await inviteeContext.newPage();
    invitee.on('pageerror', (e) => pageErrors.push(e.message));
    await invitee.goto(`${base}${invitationPath}`);
    await invitee.getByText(ORG_NAME, { exact: true }).waitFor();
    await invitee.getByLabel('Choose a password').fill(INVITEE.password);
    await invitee.getByLabel('Repeat password').fill(INVITEE.password);
    await invitee.getByRole('button', { name: 'Join and sign in' }).click();
    await invitee.waitForURL('**/members');
    assert.equal(await invitee.getByTestId('whoami-name').textContent(), INVITEE.name);
    assert.equal(await pwned(invitee), undefined);
    // The link is spent.
    await invitee.goto(`${base}${invitationPath}`);
    await invitee.getByText('This invitation link is invalid, expired or already used.').waitFor();
  });

  it('lets the admin change the new member’s tier', async () => {
    await admin.reload();
    const row = admin.getByTestId('member-row').filter({ hasText: INVITEE.email });
    await row.getByText('Active').waitFor();
    await row.getByRole('button', { name: /^Edit/ }).click();
    await admin.getByLabel('Access tier').selectOption('2');
    await admin.getByRole('button', { name: 'Save' }).click();
    // The tier cell (after e-mail and roles) shows the saved tier once the list is re-read.
    await row.locator('td').nth(2).filter({ hasText: /^2$/ }).waitFor();
  });

  it('creates a token that works until it is revoked', async () => {
    await admin.getByRole('link', { name: 'API tokens' }).click();
    await admin.getByLabel('Token name').fill(TOKEN_NAME);
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = await admin.getByLabel('New token').inputValue();
    assert.ok(token.length >= 20);
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    const body = (await me.json()) as { member: { email: string }; authenticatedBy: string };
    assert.equal(body.member.email, ADMIN.email);
    assert.equal(body.authenticatedBy, 'token');

    await admin.getByRole('button', { name: 'I have copied it' }).click();
    const row = admin.getByTestId('token-row').filter({ hasText: 'e2e script' });
    await row.getByRole('button', { name: 'Revoke e2e script' }).click();
    await row.getByText('Revoked').waitFor();
    const after = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.status, 401);
  });

  it('creates and vets an organization as an operator admin', async () => {
    await admin.getByRole('link', { name: 'Organizations' }).click();
    await admin.getByRole('button', { name: 'New organization' }).click();
    await admin.getByLabel('Name', { exact: true }).fill(NEW_ORG);
    await admin.getByLabel('Role').selectOption('election-office');
    await admin.getByLabel(/^Jurisdiction/).fill('US-NC');
    await admin.getByLabel(/^Vetted now/).uncheck();
    await admin.getByRole('button', { name: 'Create organization' }).click();
    const row = admin.getByTestId('org-row').filter({ hasText: 'Wake County Board of Elections' });
    await row.getByText('Pending').waitFor();
    await row.getByRole('button', { name: /^Vet / }).click();
    await row.getByText('Vetted').waitFor();
  });

  it('renders planted script payloads as text and runs none of them', async () => {
    const names = await admin.getByTestId('org-row').locator('th').allTextContents();
    assert.ok(
      names.some((n) => n.startsWith(NEW_ORG)),
      'script payload shown literally',
    );
    assert.ok(
      names.some((n) => n.startsWith(ORG_NAME)),
      'img payload shown literally',
    );
    assert.equal(await admin.locator('img[src="x"]').count(), 0);
    assert.equal(await admin.locator('main script').count(), 0);
    await admin.getByRole('link', { name: 'Members' }).click();
    await admin.getByTestId('member-row').filter({ hasText: INVITEE.email }).waitFor();
    assert.equal(await pwned(admin), undefined);
    assert.deepEqual(pageErrors, []);
  });

  it('shows the transparency log, searches the audit trail and downloads a receipt', async () => {
    await admin.getByRole('link', { name: 'Oversight' }).click();
    await admin.getByRole('heading', { name: 'Oversight', level: 1 }).waitFor();
    const size = Number.parseInt(
      ((await admin.getByTestId('log-size').textContent()) ?? '').replace(/\D/g, ''),
      10,
    );
    assert.ok(size > 0, `log size ${size}`);
    const checkpoint = (await admin.getByTestId('checkpoint').textContent()) ?? '';
    assert.match(checkpoint, /^\S+\n\d+\n[A-Za-z0-9+/=]{44}\n\n\u2014 /);
    await admin.getByTestId('no-witnesses').waitFor();

    // Filter by action prefix: every row shown is a member event.
    await admin.getByLabel('Action', { exact: true }).fill('member.');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.waitForFunction(() => {
      const actions = [...document.querySelectorAll('[data-testid="event-row"] th')].map(
        (th) => th.textContent,
      );
      return actions.length > 0 && actions.every((a) => a?.startsWith('member.'));
    });
    const row = admin.getByTestId('event-row').first();
    // Sequencing runs every 200 ms here; refresh until the newest member event has its log index.
    for (let i = 0; i < 20 && (await row.getByText('pending').count()) > 0; i++) {
      await admin.waitForTimeout(250);
      await admin.getByRole('button', { name: 'Refresh', exact: true }).click();
    }
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      row.getByRole('button', { name: /^Download receipt/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^receipt-evt_[\w-]+\.json$/);
    const file = await download.path();
    const receipt = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      event: { id: string; action: string };
    };
    assert.equal(receipt.format, 'tabella-receipt/v2');
    assert.match(receipt.event.action, /^member\./);
    assert.equal(download.suggestedFilename(), `receipt-${receipt.event.id}.json`);
    // The receipt checks offline against the log's public key.
    const vkey = (await (await fetch(`${base}/log/vkey`)).text()).trim();
    const checked = spawnSync(
      process.execPath,
      ['bin/tabella.mjs', 'audit', 'check-receipt', file, '--vkey', vkey],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stdout, /^OK event /);

    // Details are JSON shown as text: the token name's planted payload stays inert.
    await admin.getByLabel('Action', { exact: true }).fill('token.create');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    const tokenRow = admin.getByTestId('event-row').filter({ hasText: 'token.create' }).first();
    await tokenRow.getByRole('button', { name: /^Show details/ }).click();
    const details = JSON.parse((await admin.getByTestId('event-details').textContent()) ?? '') as {
      name?: string;
    };
    assert.equal(details.name, TOKEN_NAME);
    assert.equal(await admin.locator('img[src="x"]').count(), 0);
    assert.equal(await pwned(admin), undefined);
    assert.deepEqual(pageErrors, []);
  });

  it('suggests a feeds token for a device URL, with an expiry; it pulls exports and nothing else', async () => {
    await admin.goto(`${base}/tokens?for=device`);
    await admin.getByLabel('Token name').waitFor();
    assert.equal(await admin.getByLabel('Token name').inputValue(), 'Device feed');
    assert.equal(await admin.getByLabel('Feeds').isChecked(), true);
    assert.equal(await admin.getByLabel('Read').isChecked(), false);
    await admin.getByLabel('Expires').selectOption('30');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = await admin.getByLabel('New token').inputValue();
    const exported = await fetch(`${base}/api/v1/exports/blocklist?kind=ip&token=${token}`);
    assert.equal(exported.status, 200);
    const read = await fetch(`${base}/api/v1/intel`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 403);
    assert.equal(((await read.json()) as { code: string }).code, 'TOKEN_SCOPE');
    await admin.getByRole('button', { name: 'I have copied it' }).click();
    const row = admin.getByTestId('token-row').filter({ hasText: 'Device feed' });
    await row.getByText('Feeds', { exact: true }).waitFor();
  });
});
