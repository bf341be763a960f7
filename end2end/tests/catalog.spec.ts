import { test, expect } from './fixtures';
import { signIn, tr, waitForHydration } from './helpers';

test('kenji sees yen without decimals, in Japanese', async ({ page }) => {
  await signIn(page, 'kenji@kanto.example');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(tr('ja', 'nav.catalog'));
  const price = page.locator('td.price').first();
  await expect(price).toHaveText(/^￥[\d,]+$/);
  await expect(page.getByRole('columnheader', { name: tr('ja', 'catalog.price_from') })).toBeVisible();
});

test('anna sees euros formatted the German way', async ({ page }) => {
  await signIn(page, 'anna@mueller.example');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  const price = page.locator('td.price').first();
  // 1.234,56 € — dot groups, comma decimals, no-break space before the sign.
  await expect(price).toHaveText(/^\d{1,3}(\.\d{3})*,\d{2}\u00a0€$/);
});

test('a product page shows every variant in one grid with quantity rules', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await page.locator('table.catalog-table a').first().click();
  await expect(page).toHaveURL(/\/products\//);
  await waitForHydration(page);
  const grid = page.locator('table.variant-grid');
  await expect(grid).toBeVisible();
  const rows = grid.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  const input = rows.first().locator('input.qty');
  if (await input.isEnabled()) {
    await input.fill('0');
    await expect(rows.first().locator('.field-error')).toHaveText(tr('en', 'quantity.not_positive'));
    const min = await input.getAttribute('placeholder');
    await input.fill(min ?? '1');
    await expect(rows.first().locator('.field-error')).toHaveText('');
  }
});

test('filters and paging are links that work', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await page.getByLabel(tr('en', 'catalog.category')).selectOption('fasteners');
  await page.getByRole('button', { name: tr('en', 'catalog.apply_filters') }).click();
  await expect(page).toHaveURL(/category=fasteners/);
  // With JavaScript the new rows replace the old ones once the data arrives: wait for them.
  const categories = () => page.locator('table.catalog-table tbody tr td:first-child .muted').allTextContents();
  // Sub-categories are included, each row naming both levels ("Fasteners / Hex bolt").
  await expect
    .poll(async () => (await categories()).length > 0 && (await categories()).every((c) => c.startsWith('Fasteners / ')))
    .toBe(true);
  await page.goto('/catalog?page=2');
  await expect(page.getByText(tr('en', 'catalog.page').replace('%{page}', '2'))).toBeVisible();
});

test('switching location changes prices', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  const before = await page.locator('td.price').allTextContents();
  await waitForHydration(page);
  await page.getByTestId('location-select').selectOption({ label: 'Denver Yard' });
  await expect(page.getByTestId('location-select').locator('option:checked')).toHaveText('Denver Yard');
  const after = await page.locator('td.price').allTextContents();
  expect(after).not.toEqual(before);
});
