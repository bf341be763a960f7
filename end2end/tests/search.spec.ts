import { test, expect } from './fixtures';
import { signIn, tr, waitForHydration } from './helpers';

// Results as you type in the header, keyboard use, and the /search page without JavaScript.

test('typing shows results; arrows and Enter open the highlighted product', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await waitForHydration(page);
  const box = page.getByRole('combobox', { name: tr('en', 'search.label') });
  await box.pressSequentially('brass valv', { delay: 30 });
  const options = page.locator('#header-search-results [role="option"]');
  await expect(options.first()).toBeVisible();
  await expect(options.first().locator('mark').first()).toHaveText(/brass/i);
  // The answer to the whole query, not to a prefix typed on the way.
  await expect(options.first().locator('mark').nth(1)).toHaveText(/valv/i);
  await box.press('ArrowDown');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', 'header-search-0');
  await box.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await box.press('ArrowUp');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/products\/ball-valve-/);
  await expect(page.locator('table.variant-grid')).toBeVisible();
});

test('Enter without a selection opens all results, paged with facets', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await waitForHydration(page);
  const box = page.getByRole('combobox', { name: tr('en', 'search.label') });
  await box.fill('stainles');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=stainles/);
  await expect(page.locator('table.search-table tbody tr').first()).toBeVisible();
  await expect(page.locator('table.search-table mark').first()).toHaveText(/stainless/i);
  await expect(page.getByLabel(tr('en', 'catalog.category'))).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('/search is complete on first load and its form works', async ({ page }) => {
    await signIn(page, 'buyer@acme.example');
    await page.goto('/search?q=brass');
    const rows = page.locator('table.search-table tbody tr');
    await expect(rows.first()).toBeVisible();
    await page.getByLabel(tr('en', 'catalog.category')).selectOption('fasteners');
    await page.getByRole('button', { name: tr('en', 'search.submit') }).last().click();
    await expect(page).toHaveURL(/category=fasteners/);
    const categories = await page.locator('table.search-table tbody tr td:first-child .muted').allTextContents();
    expect(categories.length).toBeGreaterThan(0);
    expect(categories.every((c) => c.startsWith('Fasteners / '))).toBe(true);
  });
});

// From the input event of a keystroke to the results on screen (debounce, server, render). The
// budget is 60 ms against the release build (bench/search-keystroke.sh sets it); the test suite
// runs a debug build, where the figure is printed and only a loose bound applies.
test('keystroke to rendered results', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'buyer@acme.example');
  await waitForHydration(page);
  const queries = ['bolt', 'brass', 'valve', 'glove', 'cable', 'nut', 'hose', 'coupling', 'stainless', 'copper',
    'HB-S', 'elbow', 'tape', 'screw', 'washer', 'clamp', 'boot', 'mask', 'lamp', 'pipe'];
  const times: number[] = [];
  for (const q of [...queries, ...queries]) {
    times.push(await page.evaluate(async (q) => {
      const input = document.querySelector<HTMLInputElement>('#header-search')!;
      const panel = document.querySelector<HTMLElement>('.search-results')!;
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 80));
      return await new Promise<number>((resolve) => {
        const start = performance.now();
        // Rendered: the panel is open with this query's answer (hits, or the "no results" line).
        const done = () => !panel.hidden && panel.querySelector('.see-all') !== null;
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          }
        });
        observer.observe(panel, { childList: true, subtree: true, attributes: true });
        input.value = q;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }, q));
  }
  times.sort((a, b) => a - b);
  const p95 = times[Math.ceil(times.length * 0.95) - 1];
  const p50 = times[Math.floor(times.length / 2)];
  console.log(`keystroke to rendered results: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${times.length} keystrokes`);
  expect(p95).toBeLessThanOrEqual(Number(process.env.KEYSTROKE_BUDGET_MS ?? 400));
});

test('quick order suggests SKUs while one is typed', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await page.goto('/quick-order');
  await waitForHydration(page);
  const sku = page.getByLabel(tr('en', 'quick_order.sku_row').replace('%{row}', '1'), { exact: true });
  await sku.pressSequentially('BV-B-1', { delay: 30 });
  await expect(page.locator('#sku-suggestions option').first()).toHaveAttribute('value', /^BV-B-1/);
});

// Issue 17: a buyer's search that finds nothing reaches the merchant's desk, where staff teach the
// search the word with one click; the buyer's next search finds it. "Did you mean" offers the
// catalog's own words.
test('a missed search is listed for staff, who add a synonym; buyers get "Did you mean"', async ({ browser, page }) => {
  // Letters only (a digit would make it a code), new on every run.
  const word = 'zq' + [...String(Date.now())].map((d) => 'abcdefghij'[Number(d)]).join('');
  await signIn(page, 'buyer@acme.example');
  await page.goto(`/search?q=${word}`);
  await expect(page.getByText(tr('en', 'search.no_results'))).toBeVisible();

  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, 'staff@northwind.example');
  await staff.goto('/staff/search');
  const row = staff.getByTestId('misses').locator('tr', { hasText: word });
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: tr('en', 'search_desk.add_for').replace('%{query}', word) }).click();
  await expect(staff.getByTestId('synonym-term')).toHaveValue(word);
  await expect(staff.locator('#syn-language')).toHaveValue('en');
  await staff.getByTestId('synonym-synonyms').fill('ball valve');
  await staff.getByTestId('add-synonym').click();
  await expect(staff.getByTestId('synonym-added')).toBeVisible();
  await expect(staff.getByTestId('synonyms')).toContainText(`${word} → ball valve`);
  // A set of one word says which field is wrong, in words.
  await staff.getByRole('radio', { name: new RegExp(tr('en', 'search_desk.kind.equivalent')) }).check();
  await staff.getByTestId('synonym-synonyms').fill('bolt');
  await staff.getByTestId('add-synonym').click();
  await expect(staff.getByText(tr('en', 'search_desk.error.two_needed'))).toBeVisible();

  await page.goto(`/search?q=${word}`);
  await expect(page.locator('table.search-table tbody tr').first()).toContainText(/ball valve/i);

  await page.goto('/search?q=stainlezzz+boltzz');
  const suggestion = page.getByTestId('did-you-mean').getByRole('link');
  await expect(suggestion).toContainText('stainless');
  await suggestion.click();
  await expect(page.locator('table.search-table tbody tr').first()).toBeVisible();
});
