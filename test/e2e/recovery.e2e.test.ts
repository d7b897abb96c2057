// Browser end-to-end test of account recovery (issue 11 §2): a real server in a child process,
// driven through the built web app by Debian's Chromium. One journey, in order: an administrator
// enrolls MFA and saves the recovery codes shown once, loses the authenticator and signs in with a
// recovery code; then resets a member's forgotten password with a one-time link the member opens.
// Last, a visitor who is not signed in reaches the public exports from the sign-in page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const skip = browserSkip('recovery');

const ADMIN = { email: 'rae@recovery-isac.example', password: 'correct horse battery staple' };
const MEMBER = {
  email: 'sam@recovery-isac.example',
  password: 'the first long passphrase',
  newPassword: 'a second long passphrase',
};

describe('account recovery in the browser', { skip, timeout: 240_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let admin: Page;
  let memberContext: BrowserContext | undefined;
  let member: Page;
  let base = '';
  let codes: string[] = [];
  let resetPath = '';
  const pageErrors: string[] = [];

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

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  before(async () => {
    server = await startServer({ tmpPrefix: 'tabella-e2e-recovery-' });
    base = server.base;
    browser = await launchChromium();
    admin = await (await browser.newContext()).newPage();
    admin.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await memberContext?.close().catch(() => {});
    await stopBrowserAndServer(browser, server);
  });

  it('shows ten recovery codes once at MFA enrollment', async () => {
    await admin.goto(`${base}/`);
    await admin.waitForURL('**/setup');
    assert.ok(server);
    await admin.getByLabel('Setup code').fill(server.setupCode());
    await admin.getByLabel('Organization name').fill('Recovery ISAC');
    await admin.getByLabel('Kind').selectOption('nonprofit');
    await admin.getByLabel('Display name').fill('Rae Operator');
    await admin.getByLabel('E-mail address').fill(ADMIN.email);
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Repeat password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create organization and administrator' }).click();
    await admin.waitForURL('**/mfa');
    const secret = await admin.getByLabel('Secret key').inputValue();
    await admin.getByLabel('Authentication code').fill(totp(secret));
    await admin.getByRole('button', { name: 'Confirm and turn on' }).click();
    await admin.getByText('shown only this once').waitFor();
    // Continuing needs the confirmation that they were saved.
    assert.equal(await admin.getByRole('button', { name: 'Continue' }).isDisabled(), true);
    codes = await saveRecoveryCodes(admin);
    for (const c of codes) assert.match(c, /^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    await admin.waitForURL('**/members');
  });

  it('lost authenticator: signs in with a recovery code, and the account page counts what is left', async () => {
    await admin.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await admin.waitForURL('**/sign-in');
    await signIn(admin, ADMIN.email, ADMIN.password);
    await admin.getByRole('button', { name: 'Lost your authenticator? Use a recovery code' }).click();
    await admin.getByLabel('Recovery code').fill(codes[0] ?? '');
    await admin.getByRole('button', { name: 'Verify' }).click();
    await admin.waitForURL('**/members');
    await admin.goto(`${base}/account`);
    assert.match((await admin.getByTestId('recovery-remaining').textContent()) ?? '', /9 of 10/);

    // The spent code does not work twice.
    const again = await (await browser?.newContext())?.newPage();
    assert.ok(again);
    await signIn(again, ADMIN.email, ADMIN.password);
    await again.getByRole('button', { name: 'Lost your authenticator? Use a recovery code' }).click();
    await again.getByLabel('Recovery code').fill(codes[0] ?? '');
    await again.getByRole('button', { name: 'Verify' }).click();
    await again.getByRole('alert').waitFor();
    assert.ok(again.url().endsWith('/sign-in'));
    await again.context().close();
  });

  it('admin reset: the member opens the link, sets a new password and signs in with it', async () => {
    const orgs = cli(['org', 'list']).items as { id: string; isOperator: boolean }[];
    const orgId = orgs.find((o) => o.isOperator)?.id ?? '';
    const invited = cli([
      'member',
      'create',
      '--org',
      orgId,
      '--email',
      MEMBER.email,
      '--role',
      'analyst',
      '--name',
      'Sam Analyst',
    ]);
    memberContext = await browser?.newContext();
    assert.ok(memberContext);
    member = await memberContext.newPage();
    member.on('pageerror', (e) => pageErrors.push(e.message));
    await member.goto(`${base}${new URL(String(invited.invitationUrl)).pathname}`);
    await member.getByLabel('Choose a password').fill(MEMBER.password);
    await member.getByLabel('Repeat password').fill(MEMBER.password);
    await member.getByRole('button', { name: 'Join and sign in' }).click();
    await member.waitForURL('**/members');

    // The admin issues the link from the members table.
    await admin.goto(`${base}/members`);
    await admin.getByRole('button', { name: 'Reset password or MFA of Sam Analyst' }).click();
    assert.equal(await admin.getByLabel('Password', { exact: true }).isChecked(), true);
    await admin.getByRole('button', { name: 'Issue reset link' }).click();
    const link = await admin.getByLabel('Reset link').inputValue();
    resetPath = new URL(link).pathname;
    assert.match(resetPath, /^\/reset\/[A-Za-z0-9_-]+$/);
    await admin.getByRole('button', { name: 'Done' }).click();

    // The member was signed out everywhere: their browser goes back to sign-in.
    await member.reload();
    await member.waitForURL('**/sign-in');

    await member.goto(`${base}${resetPath}`);
    await member.getByText(MEMBER.email).waitFor();
    await member.getByLabel('New password', { exact: true }).fill(MEMBER.newPassword);
    await member.getByLabel('Repeat password').fill(MEMBER.newPassword);
    await member.getByRole('button', { name: 'Set new password' }).click();
    await member.getByText('Your password is changed.').waitFor();
    await member.getByRole('link', { name: 'Go to sign-in' }).click();
    await member.waitForURL('**/sign-in');
    await signIn(member, MEMBER.email, MEMBER.newPassword);
    await member.waitForURL('**/members');

    // The link worked once.
    await member.goto(`${base}${resetPath}`);
    await member.getByText('This reset link is invalid').waitFor();
    assert.deepEqual(pageErrors, []);
  });

  it('a visitor who is not signed in finds the public data from the sign-in page (issue 11 §5)', async () => {
    const visitor = await (await browser?.newContext())?.newPage();
    assert.ok(visitor);
    await visitor.goto(`${base}/sign-in`);
    const links = visitor.getByTestId('public-data').getByRole('link');
    for (const name of ['STIX 2.1 bundle', 'CSV']) {
      const href = await links.filter({ hasText: name }).getAttribute('href');
      // Fetched from the visitor's page: same origin, no session cookie, no token.
      const answered: number = await visitor.evaluate(
        async (url) => (await fetch(url ?? '', { credentials: 'omit' })).status,
        href,
      );
      assert.equal(answered, 200, `${name}: ${href}`);
    }
    await visitor.context().close();
  });
});
