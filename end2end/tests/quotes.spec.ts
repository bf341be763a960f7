import { expect, test } from './fixtures';
import { signIn, tr } from './helpers';

// Issue 15: buyer@acme.example requests a quote for a quote-only product; staff@northwind.example
// offers a price in another browser; the buyer accepts and places with a PO number; the order
// shows the offered price; a second click makes no second order.
test('a quote-only product is quoted by the desk, accepted and ordered exactly once', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, 'buyer@acme.example');
  // The demo's submitted quote starts with a quote-only line: find that SKU's product page.
  await page.goto('/quotes?status=submitted');
  await page.locator('[data-testid="quote-row"] a').first().click();
  const quoteOnlySku = (await page.locator('[data-testid="quote-lines"] td.sku').first().textContent())!.trim();
  await page.goto(`/search?q=${encodeURIComponent(quoteOnlySku)}`);
  await page.locator('a[href^="/products/"]').first().click();
  await expect(page.locator('table.variant-grid')).toContainText(quoteOnlySku);
  const form = page.getByTestId('request-quote');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await form.locator('summary').click();
  }
  const rows = form.locator('tbody tr');
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    if ((await row.locator('.sku').textContent())!.trim() === quoteOnlySku) {
      await row.getByTestId('request-quantity').fill('24');
    }
  }
  await form.getByLabel(tr('en', 'quotes.note')).fill('Needed for the Denver job');
  await form.getByTestId('send-quote-request').click();
  await expect(page).toHaveURL(/\/quotes\/Q-\d+$/);
  const number = page.url().match(/Q-\d+/)![0];
  await expect(page.getByTestId('quote-status')).toHaveText(tr('en', 'quotes.status.submitted'));

  // The merchant, in a browser of their own, offers a price.
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, 'staff@northwind.example');
  await staff.goto('/staff/quotes');
  await staff.getByRole('link', { name: number }).click();
  await staff.getByTestId('offer-price').first().fill('41.25');
  await staff.getByTestId('send-offer').click();
  await expect(staff.getByTestId('desk-notice')).toHaveText(tr('en', 'staff.offer_sent'));

  // The buyer accepts and places with a PO number.
  await page.goto(`/quotes/${number}`);
  await expect(page.getByTestId('offered-price').first()).toHaveText('$41.25');
  await page.getByTestId('accept-quote').click();
  await expect(page).toHaveURL(new RegExp(`/quotes/${number}/checkout$`));
  await page.getByLabel(tr('en', 'checkout.po_number_required')).fill('PO-E2E-QUOTE');
  const checkoutUrl = page.url();
  await page.getByTestId('place-quote').click();
  await expect(page).toHaveURL(/\/orders\/[A-Z0-9-]+/);
  const order = page.url().split('/orders/')[1].split('?')[0];
  await expect(page.locator('body')).toContainText('$41.25');
  await expect(page.locator('body')).toContainText('PO-E2E-QUOTE');

  // A second click (the checkout again, another submit) makes no second order.
  await page.goto(checkoutUrl);
  await expect(page.getByTestId('already-ordered')).toContainText(order);
  await expect(page.getByTestId('place-quote')).toHaveCount(0);
  await page.goto(`/quotes/${number}`);
  await expect(page.getByTestId('quote-status')).toHaveText(tr('en', 'quotes.status.ordered'));
  await expect(page.getByTestId('quote-order')).toHaveText(order);
  await page.goto('/orders');
  await expect(page.getByRole('link', { name: order })).toHaveCount(1);
});

// Merchant staff never see the buyer shell; buyers never reach the desk.
test('staff land on their desk and buyers are refused it', async ({ page }) => {
  await signIn(page, 'staff@northwind.example');
  await page.goto('/catalog');
  await expect(page).toHaveURL(/\/staff\/quotes$/);
  await expect(page.getByRole('navigation', { name: tr('en', 'staff.nav.label') })).toBeVisible();
  const buyer = page.context();
  await buyer.clearCookies();
  await signIn(page, 'buyer@acme.example');
  const response = await page.goto('/staff/quotes');
  expect(response!.status()).toBe(403);
});
