import { expect, test } from './fixtures';
import { mailedLink, signIn, tr } from './helpers';

// Issue 13: team management in a real browser, with the real mail the portal sent.

test('an admin invites, the invitee sets a password in a fresh browser, and deactivation signs them out', async ({ page, browser }) => {
  const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@acme-partner.example`;
  await signIn(page, 'admin@acme.example');
  await page.goto('/team');
  await page.locator('#invite-email').fill(email);
  await page.locator('#invite-role').selectOption({ label: tr('en', 'roles.requester') });
  await page.locator('.invite-form').getByText('Denver Yard').click();
  await page.getByRole('button', { name: tr('en', 'team.invite.submit') }).click();
  await expect(page.getByRole('status')).toHaveText(tr('en', 'team.invite.sent'));
  await expect(page.locator(`[data-testid="invitation"][data-email="${email}"]`)).toBeVisible();

  // The invitee opens the mailed link in a browser of their own.
  const link = await mailedLink(email, '/invitations/');
  const invitee = await (await browser.newContext()).newPage();
  await invitee.goto(link);
  await expect(invitee.getByTestId('invitation-summary')).toContainText('Acme Builders');
  await expect(invitee.getByTestId('invitation-summary')).toContainText(tr('en', 'roles.requester'));
  await invitee.getByLabel(tr('en', 'team.name')).fill('Eddie Example');
  await invitee.getByLabel(tr('en', 'account.new_password')).fill('a good long password');
  await invitee.getByRole('button', { name: tr('en', 'invitation.accept') }).click();
  await expect(invitee).toHaveURL(/\/catalog/);
  await expect(invitee.locator('table.catalog-table')).toBeVisible();
  // A Requester: no Team in the navigation, and the location the invitation gave.
  await expect(invitee.getByRole('navigation', { name: tr('en', 'nav.label') }).getByRole('link', { name: tr('en', 'nav.team') })).toHaveCount(0);
  await expect(invitee.getByTestId('location-name')).toHaveText('Denver Yard');
  // The link works once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByTestId('link-invalid')).toHaveText(tr('en', 'invitation.invalid'));

  // The admin deactivates them while they are signed in: their next click lands on sign-in.
  await page.goto('/team?q=' + encodeURIComponent(email));
  const row = page.locator(`[data-testid="member"][data-email="${email}"]`);
  await row.getByTestId('deactivate').click();
  await expect(page.getByRole('status')).toHaveText(tr('en', 'team.saved'));
  await invitee.getByRole('link', { name: tr('en', 'nav.orders') }).click();
  await expect(invitee).toHaveURL(/\/login/);
});

test('a requester has no Team link, and /team answers the not-permitted page', async ({ page }) => {
  await signIn(page, 'requester@acme.example');
  await expect(page.getByRole('link', { name: tr('en', 'nav.team') })).toHaveCount(0);
  const response = await page.goto('/team');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toHaveText(tr('en', 'error.forbidden'));
});

test('the Site buyer buys for Denver Yard only', async ({ page }) => {
  await signIn(page, 'site@acme.example');
  await expect(page.getByTestId('location-name')).toHaveText('Denver Yard');
  await expect(page.locator('#location-select')).toHaveCount(0);
  expect((await page.goto('/team'))?.status()).toBe(403);
  expect((await page.goto('/cart'))?.status()).toBe(200);
});

test('an admin creates a custom role with permission checkboxes and sees it listed', async ({ page }) => {
  const name = `E2E role ${Date.now()}`;
  await signIn(page, 'admin@acme.example');
  await page.goto('/team/roles');
  const form = page.locator('section[aria-labelledby="new-role-title"]');
  await form.getByLabel(tr('en', 'team.roles.name')).fill(name);
  await form.getByLabel(tr('en', 'permissions.catalog_view')).check();
  await form.getByLabel(tr('en', 'permissions.quotes_request')).check();
  await form.getByRole('button', { name: tr('en', 'team.roles.create') }).click();
  await expect(page.getByRole('status')).toContainText(tr('en', 'team.roles.saved').split('.')[0]);
  await expect(page.locator('[data-testid="role"]', { hasText: name })).toContainText(tr('en', 'permissions.quotes_request'));
  await page.goto('/team/audit?action=role_created');
  await expect(page.locator('[data-testid="audit-entry"]', { hasText: name })).toBeVisible();
});

test('forgot password is reached from sign-in and answers without telling whether the address has an account', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: tr('en', 'auth.login.forgot') }).click();
  await page.getByLabel(tr('en', 'auth.login.email')).fill('nobody-at-all@acme.example');
  await page.getByRole('button', { name: tr('en', 'account.send_link') }).click();
  await expect(page.getByTestId('forgot-sent')).toHaveText(tr('en', 'account.forgot_sent'));
});
