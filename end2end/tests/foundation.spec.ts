import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { signIn, tr, PASSWORD, waitForHydration } from './helpers';

test('a buyer signs in and sees the shell in English', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.getByTestId('company-name')).toHaveText('Acme Builders');
  await expect(page.getByTestId('location-select').locator('option:checked')).toHaveText('Chicago HQ');
  await expect(page.getByTestId('currency')).toHaveText('USD');
  const nav = page.getByRole('navigation', { name: tr('en', 'nav.label') });
  for (const key of ['catalog', 'quick_order', 'cart', 'orders', 'quotes']) {
    await expect(nav.getByRole('link', { name: tr('en', `nav.${key}`) })).toBeVisible();
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(tr('en', 'nav.catalog'));
});

test('a navigation is a complete server page, and the bundle comes from the cache', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await waitForHydration(page);
  await page.getByRole('link', { name: tr('en', 'nav.orders') }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(tr('en', 'nav.orders'));
  await expect(page.locator('table.order-list tbody tr').first()).toBeVisible();
  await waitForHydration(page);
  // Content-hashed, immutable files: the second page fetches none of them again.
  const fetched = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.name.includes('/pkg/'))
      .map((e) => ({ name: e.name, bytes: e.transferSize })),
  );
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter((f) => f.bytes > 0)).toEqual([]);
});

test('omar sees the portal in Arabic, right to left', async ({ page }) => {
  await signIn(page, 'omar@bayt.example');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const nav = page.getByRole('navigation', { name: tr('ar', 'nav.label') });
  for (const key of ['catalog', 'quick_order', 'cart', 'orders', 'quotes']) {
    await expect(nav.getByRole('link', { name: tr('ar', `nav.${key}`) })).toBeVisible();
  }
  await expect(page.getByTestId('currency')).toHaveText('SAR');
  // Right to left for real: the navigation starts at the right edge.
  const box = await nav.getByRole('link', { name: tr('ar', 'nav.catalog') }).boundingBox();
  const width = page.viewportSize()!.width;
  expect(box!.x + box!.width).toBeGreaterThan(width / 2);
});

test('switching language re-renders the portal and is remembered', async ({ page }) => {
  await signIn(page, 'requester@acme.example');
  await waitForHydration(page);
  // Choosing applies at once (the Apply button is there for a browser without JavaScript).
  await page.getByLabel(tr('en', 'shell.language')).selectOption('de');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('link', { name: tr('de', 'nav.catalog') })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  // Back to English, so the saved choice does not surprise a later run.
  await waitForHydration(page);
  await page.getByLabel(tr('de', 'shell.language')).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('after signing out, Back does not show the portal again', async ({ page }) => {
  await signIn(page, 'buyer@acme.example');
  await page.getByRole('link', { name: tr('en', 'nav.cart'), exact: true }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.getByRole('button', { name: tr('en', 'shell.logout') }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByTestId('company-name')).toHaveCount(0);
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/login\?next=\/orders$/);
});

test('a protected link opened while signed out returns there after sign-in', async ({ page }) => {
  await page.goto('/quotes');
  await expect(page).toHaveURL(/\/login\?next=\/quotes$/);
  await page.getByLabel(tr('en', 'auth.login.email')).fill('finance@acme.example');
  await page.getByLabel(tr('en', 'auth.login.password')).fill(PASSWORD);
  await page.getByRole('button', { name: tr('en', 'auth.login.submit') }).click();
  await expect(page).toHaveURL(/\/quotes$/);
});

test('a wrong password says so and keeps the email', async ({ page }) => {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel(tr('en', 'auth.login.email')).fill('buyer@acme.example');
  await page.getByLabel(tr('en', 'auth.login.password')).fill('not-the-password');
  await page.getByRole('button', { name: tr('en', 'auth.login.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(tr('en', 'auth.login.invalid'));
  await expect(page.getByLabel(tr('en', 'auth.login.email'))).toHaveValue('buyer@acme.example');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the login form still signs in, and a failure keeps the email', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel(tr('en', 'auth.login.email')).fill('admin@acme.example');
    await page.getByLabel(tr('en', 'auth.login.password')).fill('wrong');
    await page.getByRole('button', { name: tr('en', 'auth.login.submit') }).click();
    await expect(page.getByRole('alert')).toHaveText(tr('en', 'auth.login.invalid'));
    await expect(page.getByLabel(tr('en', 'auth.login.email'))).toHaveValue('admin@acme.example');
    await page.getByLabel(tr('en', 'auth.login.password')).fill(PASSWORD);
    await page.getByRole('button', { name: tr('en', 'auth.login.submit') }).click();
    await expect(page).toHaveURL(/\/catalog$/);
    await expect(page.getByTestId('company-name')).toHaveText('Acme Builders');
  });
});

test('sign-in works with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(tr('en', 'auth.login.email'))).toBeFocused();
  await page.keyboard.type('kenji@kanto.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  // The first Tab on a portal page reaches the skip link.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: tr('ja', 'shell.skip_to_content') })).toBeFocused();
});

test('no serious accessibility violations on the login page and the shell', async ({ page }) => {
  await page.goto('/login');
  let results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''))).toEqual([]);
  for (const path of ['/forgot-password', '/join']) {
    await page.goto(path);
    results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? '')).map((v) => `${path}: ${v.id}`)).toEqual([]);
  }
  await signIn(page, 'admin@acme.example');
  for (const path of ['/catalog', '/team', '/team/roles', '/team/audit', '/account', '/approvals', '/team/approvals']) {
    await page.goto(path);
    results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? '')).map((v) => `${path}: ${v.id}`)).toEqual([]);
  }
});

test('no serious accessibility violations on the buyer pages, right to left, on a phone and a desktop', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'omar@bayt.example');
  await page.goto('/catalog');
  const product = await page.locator('table.catalog-table a[href^="/products/"]').first().getAttribute('href');
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/catalog', product!, '/cart', '/quick-order', '/checkout']) {
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''));
      expect(serious.map((v) => `${width} ${path}: ${v.id}`)).toEqual([]);
    }
  }
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('nothing overflows the screen sideways', async ({ page }) => {
    await page.goto('/login');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await signIn(page, 'multi@example.com');
    for (const path of ['/catalog', '/orders', '/quick-order', '/cart']) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    }
  });

  test('the team pages fit a phone in Arabic, with a member\'s edit form open', async ({ page, context }) => {
    await context.addCookies([{ name: 'portal_locale', value: 'ar', url: process.env.PORTAL_URL ?? 'http://127.0.0.1:3000' }]);
    await signIn(page, 'admin@acme.example', 'ar');
    for (const path of ['/team', '/team/roles', '/team/audit', '/account', '/approvals', '/team/approvals']) {
      await page.goto(path);
      const edit = page.locator('details.member-edit summary').first();
      if (await edit.count()) await edit.click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
  });

  test('the header is one row, and its menu holds company, location, language and sign-out', async ({ page }) => {
    await signIn(page, 'admin@acme.example');
    const bar = page.locator('.site-header .bar');
    const box = (await bar.boundingBox())!;
    // One row: about one control high, not the 45 % of the screen the old header took.
    expect(box.height).toBeLessThan(64);
    await expect(page.getByTestId('cart-link')).toBeVisible();
    await expect(page.getByTestId('company-name')).toBeHidden();
    // The menu button is an icon on a phone; its name stays for screen readers.
    await expect(page.locator('.menu > summary')).toHaveText(tr('en', 'shell.menu'));
    await page.locator('.menu > summary').click();
    await expect(page.getByTestId('company-name')).toBeVisible();
    await expect(page.getByTestId('location-select')).toBeVisible();
    await expect(page.getByRole('button', { name: tr('en', 'shell.logout') })).toBeVisible();
  });

  test('a variant is a card with a large quantity field, its SKU on one line', async ({ page }) => {
    await signIn(page, 'buyer@acme.example');
    await page.locator('table.catalog-table a[href^="/products/"]').first().click();
    const row = page.locator('table.variant-grid tbody tr').first();
    const input = row.locator('input.qty');
    await expect(input).toHaveAttribute('inputmode', 'numeric');
    expect((await input.boundingBox())!.height).toBeGreaterThanOrEqual(40);
    const sku = row.locator('td.sku');
    const lineHeight = await sku.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
    expect((await sku.boundingBox())!.height).toBeLessThan(lineHeight * 1.6);
  });
});

test.describe('the Content-Security-Policy', () => {
  test.use({ cspViolationExpected: true });

  test('blocks a script injected into a page, and the suite sees it', async ({ page }) => {
    await signIn(page, 'buyer@acme.example');
    await page.goto('/quick-order');
    await waitForHydration(page);
    const response = await page.request.get('/catalog');
    const policy = response.headers()['content-security-policy'];
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(response.headers()['referrer-policy']).toBe('same-origin');
    // What an injection would do: an inline script element without the nonce never runs.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    expect(await page.evaluate(() => (window as any).injected)).toBeUndefined();
  });
});
