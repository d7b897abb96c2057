// Browser end-to-end test of issue 11 §1 and §3 (first part): an operator admin invites the first
// administrator of an organization created in the web app; that admin invites a member whose link
// is lost, re-sends the invitation, and the member joins with the new link while the old one is
// refused. One journey; node:test runs a describe's tests in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  browserSkip,
  type E2eServer,
  launchChromium,
  saveRecoveryCodes,
  startServer,
  stopBrowserAndServer,
} from '../support/e2e.ts';
import { totp } from '../support/totp.ts';

const skip = browserSkip('invitations');

const PASSWORD = 'correct horse battery staple';
const OPERATOR = { name: 'Olu Operator', email: 'olu@isac.example' };
const ORG = 'Lost Link County Board of Elections';
const FIRST_ADMIN = { name: 'Rae Registrar', email: 'rae@lostlink.example' };
const MEMBER = { name: 'Kim Clerk', email: 'kim@lostlink.example' };
const INVALID = 'This invitation link is invalid, expired or already used.';

describe('invitations in the browser: first admin, lost link, re-send', { skip, timeout: 240_000 }, () => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  let operator: Page;
  let base = '';
  let orgUrl = '';
  const pageErrors: string[] = [];

  /** A page in a fresh browser context (its own cookies), with confirmations accepted. */
  async function newPage(): Promise<Page> {
    assert.ok(browser);
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    return page;
  }

  /** Enrolls TOTP on the MFA page an administrator is held on. */
  async function enrollMfa(page: Page): Promise<void> {
    await page.waitForURL('**/mfa');
    const secret = await page.getByLabel('Secret key').inputValue();
    await page.getByLabel('Authentication code').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    await saveRecoveryCodes(page);
    await page.waitForURL('**/members');
  }

  /** Accepts an invitation link in a fresh browser. */
  async function accept(path: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${base}${path}`);
    await page.getByLabel('Choose a password').fill(PASSWORD);
    await page.getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Join and sign in' }).click();
    return page;
  }

  /** The invitation link shown once, as a path; closes the panel. */
  async function shownLink(page: Page): Promise<string> {
    const link = new URL(await page.getByLabel('Invitation link').inputValue());
    assert.match(link.pathname, /^\/invite\/[^/]+$/);
    assert.equal(link.origin, base, 'links use the public URL');
    const hint = (await page.locator('.secret-box .hint').textContent()) ?? '';
    assert.match(hint, /Resend invitation/);
    assert.doesNotMatch(hint, /suspend/i, 'no advice that cannot work');
    await page.getByRole('button', { name: 'Done' }).click();
    return link.pathname;
  }

  before(async () => {
    server = await startServer({ tmpPrefix: 'tabella-e2e-inv-' });
    base = server.base;
    browser = await launchChromium();
    operator = await newPage();
  });

  after(async () => stopBrowserAndServer(browser, server));

  it('sets up the operator and creates an organization with no member', async () => {
    await operator.goto(`${base}/`);
    await operator.waitForURL('**/setup');
    assert.ok(server);
    await operator.getByLabel('Setup code').fill(server.setupCode());
    await operator.getByLabel('Organization name').fill('Lost Link ISAC');
    await operator.getByLabel('Kind').selectOption('nonprofit');
    await operator.getByLabel('Display name').fill(OPERATOR.name);
    await operator.getByLabel('E-mail address').fill(OPERATOR.email);
    await operator.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await operator.getByLabel('Repeat password').fill(PASSWORD);
    await operator.getByRole('button', { name: 'Create organization and administrator' }).click();
    await enrollMfa(operator);

    await operator.getByRole('link', { name: 'Organizations' }).click();
    await operator.getByRole('button', { name: 'New organization' }).click();
    await operator.getByLabel('Name', { exact: true }).fill(ORG);
    await operator.getByLabel('Role').selectOption('election-office');
    await operator.getByRole('button', { name: 'Create organization' }).click();
    await operator.getByTestId('org-row').filter({ hasText: ORG }).getByRole('link', { name: ORG }).click();
    await operator.getByRole('heading', { name: ORG }).waitFor();
    orgUrl = operator.url();
  });

  it('the operator invites its first administrator from its page, who joins', async () => {
    await operator.getByText('This organization has no active administrator').waitFor();
    await operator.getByRole('button', { name: 'Invite an administrator' }).click();
    await operator.getByLabel('Display name').fill(FIRST_ADMIN.name);
    await operator.getByLabel('E-mail address').fill(FIRST_ADMIN.email);
    await operator.getByRole('button', { name: 'Create invitation' }).click();
    const path = await shownLink(operator);
    const row = operator.getByTestId('member-row').filter({ hasText: FIRST_ADMIN.email });
    await row.getByText('Invited').waitFor();
    await row.getByText(/invitation valid until/).waitFor();

    const rae = await accept(path);
    await enrollMfa(rae);
    assert.equal(await rae.getByTestId('whoami-name').textContent(), FIRST_ADMIN.name);

    // It has an active administrator now: the operator's invitation button is gone.
    await operator.goto(orgUrl);
    await operator
      .getByTestId('member-row')
      .filter({ hasText: FIRST_ADMIN.email })
      .getByText('Active')
      .waitFor();
    assert.equal(await operator.getByRole('button', { name: 'Invite an administrator' }).count(), 0);

    // The organization's admin goes on: a member invited, the link lost, the invitation re-sent.
    await rae.getByRole('button', { name: 'Invite member' }).click();
    await rae.getByLabel('Display name').fill(MEMBER.name);
    await rae.getByLabel('E-mail address').fill(MEMBER.email);
    await rae.getByRole('button', { name: 'Create invitation' }).click();
    const lost = await shownLink(rae);
    await rae.getByRole('button', { name: `Resend the invitation of ${MEMBER.name}` }).click();
    await rae.getByRole('heading', { name: 'Invitation re-sent' }).waitFor();
    const fresh = await shownLink(rae);
    assert.notEqual(fresh, lost);

    const old = await newPage();
    await old.goto(`${base}${lost}`);
    await old.getByText(INVALID).waitFor();
    assert.equal(await old.getByRole('button', { name: 'Join and sign in' }).count(), 0);

    const kim = await accept(fresh);
    await kim.waitForURL('**/members');
    assert.equal(await kim.getByTestId('whoami-name').textContent(), MEMBER.name);
    await rae.reload();
    await rae.getByTestId('member-row').filter({ hasText: MEMBER.email }).getByText('Active').waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
