import { expect, test } from './fixtures';
import { signIn, tr, waitForHydration } from './helpers';

// Issue 14: a requester's checkout becomes a purchase request; an admin approves it in another
// browser; the order exists once and shows on the requester's orders.
test('a requester sends a checkout for approval, an admin approves it, and the order appears once', async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signIn(page, 'requester@acme.example');
  await page.goto('/catalog');
  await page.locator('table.catalog-table a[href^="/products/"]').first().click();
  await waitForHydration(page);
  const first = page.locator('table.variant-grid input.qty').first();
  await first.fill((await first.getAttribute('placeholder')) ?? '1');
  await page.locator('form button.primary').first().click();
  await expect(page.locator('.add-report')).toBeVisible();
  await page.goto('/checkout');
  await expect(page.getByTestId('needs-approval')).toContainText(tr('en', 'approvals.any_approver'));
  await page.getByLabel(tr('en', 'checkout.po_number_required')).fill('PO-E2E-APPROVE');
  await page.getByRole('button', { name: tr('en', 'approvals.send') }).click();
  await expect(page).toHaveURL(/\/requests\/R-\d+\?sent=1$/);
  await expect(page.getByTestId('request-sent')).toHaveText(tr('en', 'approvals.sent'));
  await expect(page.getByTestId('request-status')).toHaveText(tr('en', 'approvals.status.pending'));
  const number = page.url().match(/R-\d+/)![0];

  // The admin, in a browser of their own, finds it waiting and approves it.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, 'admin@acme.example');
  await admin.getByRole('link', { name: tr('en', 'nav.approvals') }).click();
  await admin.getByRole('link', { name: number }).first().click();
  await admin.getByTestId('approve').click();
  await expect(admin.getByTestId('decision')).toContainText('Order');
  const order = (await admin.getByTestId('request-order').textContent())!.trim();

  // The requester's orders show the order and the request as ordered.
  await page.goto('/orders');
  await expect(page.getByRole('link', { name: order })).toHaveCount(1);
  const row = page.locator('[data-testid="request-row"]', { hasText: number });
  await expect(row).toContainText(tr('en', 'approvals.status.ordered'));
  await page.goto(`/requests/${number}`);
  await expect(page.getByTestId('request-order')).toHaveText(order);
});
