import { test, expect, Page } from './fixtures';
import { signIn, tr, trCount, waitForHydration } from './helpers';

/** One CSV record: fields split at commas outside quotes, "" inside quotes is a quote. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out;
}

/** Priced SKUs the signed-in member may order, with their minimum, from the catalog export. */
async function orderable(page: Page, count: number): Promise<{ sku: string; min: string }[]> {
  const response = await page.request.get('/catalog/export.csv');
  expect(response.status()).toBe(200);
  const lines = (await response.text()).replace(/^\uFEFF/, '').split(/\r?\n/).slice(1);
  const out: { sku: string; min: string }[] = [];
  for (const line of lines) {
    const f = csvFields(line);
    if (f.length >= 10 && f[4] !== '' && f[6] !== '') out.push({ sku: f[0], min: f[6] });
    if (out.length === count) break;
  }
  expect(out.length).toBe(count);
  return out;
}

async function emptyCart(page: Page) {
  await page.goto('/cart');
  await waitForHydration(page);
  const clear = page.getByRole('button', { name: tr('en', 'cart.clear') });
  if (await clear.isVisible()) {
    await clear.click();
    await expect(page.getByText(tr('en', 'pages.cart.empty'))).toBeVisible();
  }
}

test('paste 30 lines with 3 bad ones, fix one, order with a PO number, see the order, reorder it', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin@acme.example');
  await emptyCart(page);
  const items = await orderable(page, 28);
  const good = items.slice(0, 27);
  const fixable = items[27];
  const pasted = [
    ...good.map((i) => `${i.sku}\t${i.min}`),
    'NO-SUCH-SKU-4711\t5',
    `${fixable.sku}\tabc`,
    `${good[0].sku}\t0`,
  ].join('\n');

  await page.goto('/quick-order');
  await waitForHydration(page);
  await page.getByLabel(tr('en', 'quick_order.paste_label')).fill(pasted);
  await page.getByRole('button', { name: tr('en', 'quick_order.paste_add') }).click();
  const counts = (good: number, bad: number) =>
    tr('en', 'quick_order.counts').replace('%{good}', String(good)).replace('%{bad}', String(bad));
  await expect(page.getByText(counts(27, 3))).toBeVisible();
  await expect(page.getByText(tr('en', 'order_entry.unknown_sku'))).toBeVisible();
  await expect(page.getByText(tr('en', 'quantity.not_a_number'))).toBeVisible();

  // Fix line 29 (the "abc"): type its minimum; leaving the field checks it again.
  await waitForHydration(page);
  const qty = page.getByLabel(tr('en', 'quick_order.quantity_row').replace('%{row}', '29'), { exact: true });
  await expect(qty).toHaveAttribute('aria-invalid', 'true');
  await qty.fill(fixable.min);
  await qty.press('Tab');
  await expect(page.getByText(counts(28, 2))).toBeVisible();

  await page.getByRole('button', { name: tr('en', 'quick_order.add_good') }).click();
  await expect(page.getByText(trCount('en', 'cart.added', 28))).toBeVisible();
  // The two bad rows stay, as typed, to be fixed.
  await expect(page.locator('table.quick-rows tbody tr')).toHaveCount(2);

  await page.goto('/cart');
  await waitForHydration(page);
  await expect(page.locator('table.cart-lines tbody tr')).toHaveCount(28);
  await page.getByRole('link', { name: tr('en', 'cart.checkout') }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  await waitForHydration(page);
  await page.getByLabel(tr('en', 'checkout.po_number_required')).fill('PO-E2E-4471');
  await page.getByRole('button', { name: tr('en', 'checkout.place') }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?placed=1$/, { timeout: 20_000 });
  await expect(page.getByTestId('order-po')).toHaveText('PO-E2E-4471');
  await expect(page.getByTestId('order-status')).toHaveText(tr('en', 'orders.status.placed'));
  await expect(page.locator('table.order-lines tbody tr')).toHaveCount(28);

  await waitForHydration(page);
  await page.getByRole('button', { name: tr('en', 'orders.reorder') }).click();
  await expect(page.getByText(trCount('en', 'cart.added', 28))).toBeVisible();
  await page.goto('/cart');
  await expect(page.locator('table.cart-lines tbody tr')).toHaveCount(28);
  await emptyCart(page);
});

test('the order list filters by status and opens an order with its shipments', async ({ page }) => {
  await signIn(page, 'finance@acme.example');
  await page.goto('/orders?status=delivered');
  const first = page.locator('table.order-list tbody tr').first();
  await expect(first).toContainText(tr('en', 'orders.status.delivered'));
  await first.getByRole('link').click();
  await expect(page.getByTestId('order-status')).toHaveText(tr('en', 'orders.status.delivered'));
  await expect(page.getByRole('heading', { name: tr('en', 'orders.shipments') })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('add from a product page, fix a quick order row, check out: every form posts and comes back with its answer', async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, 'buyer@acme.example');
    await page.goto('/cart');
    const clear = page.getByRole('button', { name: tr('en', 'cart.clear') });
    if (await clear.isVisible()) await clear.click();
    const [item] = await orderable(page, 1);

    // Quick order: a typo and a good line; the check is a page the server renders.
    await page.goto('/quick-order');
    await page.getByLabel(tr('en', 'quick_order.paste_label')).fill(`NO-SUCH-SKU-4711\t5\n${item.sku}\t${item.min}`);
    await page.getByRole('button', { name: tr('en', 'quick_order.paste_add') }).click();
    await expect(page.getByText(tr('en', 'order_entry.unknown_sku'))).toBeVisible();
    await page.getByRole('button', { name: tr('en', 'quick_order.add_good') }).click();
    await expect(page.getByText(trCount('en', 'cart.added', 1))).toBeVisible();
    // The refused row stays, as typed, to be fixed.
    await expect(page.locator('table.quick-rows tbody tr')).toHaveCount(1);
    await expect(page.locator('table.quick-rows input.sku-input')).toHaveValue('NO-SUCH-SKU-4711');

    // A product page's grid: a wrong quantity is reported after the post, nothing is lost.
    await page.goto('/catalog');
    await page.locator('table.catalog-table a[href^="/products/"]').first().click();
    const first = page.locator('table.variant-grid tbody tr').first().locator('input.qty');
    await first.fill('abc');
    await page.getByRole('button', { name: tr('en', 'cart.add') }).click();
    await expect(page.locator('.add-report')).toContainText(tr('en', 'quantity.not_a_number'));

    // Checkout: a missing PO number comes back with the note kept, then the order is placed.
    await page.goto('/checkout');
    await page.getByLabel(tr('en', 'checkout.note')).fill('Gate 3, ask for Sam');
    await page.getByRole('button', { name: tr('en', 'checkout.place') }).click();
    await expect(page.getByLabel(tr('en', 'checkout.note'))).toHaveValue('Gate 3, ask for Sam');
    await expect(page.locator('#po_number-error')).toHaveText(tr('en', 'checkout.po_required'));
    await page.getByLabel(tr('en', 'checkout.po_number_required')).fill('PO-NOJS-1');
    await page.getByRole('button', { name: tr('en', 'checkout.place') }).click();
    await expect(page).toHaveURL(/\/orders\/\d+\?placed=1$/);
    await expect(page.getByTestId('order-po')).toHaveText('PO-NOJS-1');
  });
});
