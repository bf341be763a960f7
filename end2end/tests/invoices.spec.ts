import { expect, test } from './fixtures';
import { signIn, tr } from './helpers';

// Issue 16: finance@acme.example opens /invoices, filters the overdue ones, opens one and
// downloads its PDF.
test('finance filters overdue invoices and downloads a PDF', async ({ page }) => {
  await signIn(page, 'finance@acme.example');
  await page.getByRole('link', { name: tr('en', 'nav.invoices') }).click();
  await expect(page.getByTestId('invoice-summary')).toBeVisible();
  await page.getByTestId('filter-overdue').check();
  await page.getByRole('button', { name: tr('en', 'shell.apply') }).click();
  await expect(page).toHaveURL(/overdue=1/);
  const rows = page.getByTestId('invoice-row');
  await expect(rows.first()).toBeVisible();
  for (const status of await page.getByTestId('invoice-status').allTextContents()) {
    expect(status.trim()).toBe(tr('en', 'invoices.status.overdue'));
  }
  await rows.first().locator('a').first().click();
  await expect(page).toHaveURL(/\/invoices\/INV-\d+$/);
  const href = await page.getByTestId('invoice-pdf').getAttribute('href');
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
});

test('a buyer has no invoices', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await expect(page.getByRole('link', { name: tr('en', 'nav.invoices') })).toHaveCount(0);
  const response = await page.goto('/invoices');
  expect(response!.status()).toBe(403);
});

// The admin sets where invoices are mailed, and the statement comes as a PDF too.
test('the admin sets the billing contact and downloads the statement as PDF', async ({ page }) => {
  await signIn(page, 'admin@acme.example');
  await page.goto('/invoices');
  await page.getByText(tr('en', 'invoices.billing.title')).click();
  const email = page.getByTestId('billing-email');
  await expect(email).toBeVisible();
  await email.fill('not an address');
  await page.getByTestId('billing-save').click();
  await expect(page.getByRole('alert').filter({ hasText: tr('en', 'invoices.billing.email_invalid') })).toBeVisible();
  await page.getByTestId('billing-email').fill('finance@acme.example');
  await page.getByTestId('billing-save').click();
  await expect(page.getByTestId('billing-saved')).toBeVisible();
  await expect(page.getByTestId('billing-email')).toHaveValue('finance@acme.example');
  const download = page.waitForEvent('response', (r) => r.url().includes('/invoices/statement.pdf'));
  await page.getByTestId('statement-pdf').click();
  const pdf = await download;
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
});
