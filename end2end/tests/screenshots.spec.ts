import { test } from './fixtures';
import { mailedLink, signIn } from './helpers';

// Not a check: pictures for a person to look at (SCREENSHOTS=1 npx playwright test screenshots).
test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to take screenshots');

const who: Record<string, string> = { en: 'admin@acme.example', ar: 'omar@bayt.example', ja: 'kenji@kanto.example' };

for (const locale of ['en', 'ar', 'ja']) {
  for (const width of [1280, 360]) {
    test(`screens ${locale} ${width}`, async ({ page, context }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await context.addCookies([{ name: 'portal_locale', value: locale, url: process.env.PORTAL_URL ?? 'http://127.0.0.1:3000' }]);
      await page.goto('/login');
      await page.screenshot({ path: `screenshots/${locale}-${width}-login.png`, fullPage: true });
      await signIn(page, who[locale], locale);
      for (const path of ['catalog', 'team', 'orders', 'quick-order', 'buy-again', 'lists']) {
        await page.goto('/' + path);
        await page.screenshot({ path: `screenshots/${locale}-${width}-${path}.png`, fullPage: true });
      }
      const query: Record<string, string> = { en: 'brass valve', ar: 'صمام', ja: 'ステンレス' };
      await page.goto('/search?q=' + encodeURIComponent(query[locale]));
      await page.screenshot({ path: `screenshots/${locale}-${width}-search.png`, fullPage: true });
      await page.goto('/catalog');
      await page.locator('#header-search').pressSequentially(query[locale], { delay: 20 });
      await page.locator('#header-search-results [role="option"]').first().waitFor();
      await page.screenshot({ path: `screenshots/${locale}-${width}-search-box.png` });
      await page.goto('/catalog');
      await page.locator('table.catalog-table a').first().click();
      await page.locator('table.variant-grid').waitFor();
      await page.screenshot({ path: `screenshots/${locale}-${width}-product.png`, fullPage: true });
      await page.goto('/orders');
      await page.locator('table.order-list a').first().click();
      await page.locator('table.order-lines').waitFor();
      await page.screenshot({ path: `screenshots/${locale}-${width}-order.png`, fullPage: true });
      // A cart: the first two products bought before, at their last quantity.
      await page.goto('/buy-again');
      await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
      const qty = page.locator('input.qty');
      for (const i of [0, 1]) await qty.nth(i).fill(await qty.nth(i).getAttribute('placeholder') ?? '1');
      await page.locator('form button.primary').click();
      await page.locator('.add-report a[href="/cart"]').waitFor();
      await page.goto('/cart');
      await page.screenshot({ path: `screenshots/${locale}-${width}-cart.png`, fullPage: true });
      await page.goto('/checkout');
      await page.screenshot({ path: `screenshots/${locale}-${width}-checkout.png`, fullPage: true });
      await page.goto('/quick-order');
      await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
      await page.locator('#paste').fill('NO-SUCH-1\t5\nabc def\n');
      await page.locator('.paste-box button').click();
      await page.locator('.quick-rows .field-error').first().waitFor();
      await page.screenshot({ path: `screenshots/${locale}-${width}-quick-order-checked.png`, fullPage: true });
      await page.goto('/cart');
      await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
      const clear = page.locator('.form-actions form.inline button');
      if (await clear.isVisible()) await clear.click();
    });
  }
}

// Team pages (issue 13): Dana, Acme's admin, in each language (a locale cookie; she saved none),
// and the page an invitee opens.
for (const locale of ['en', 'ar', 'ja']) {
  for (const width of [1280, 360]) {
    test(`team screens ${locale} ${width}`, async ({ page, context, browser }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const url = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      await signIn(page, 'admin@acme.example', locale);
      for (const path of ['team', 'team/roles', 'team/audit', 'account', 'approvals', 'team/approvals']) {
        await page.goto('/' + path);
        await page.screenshot({ path: `screenshots/${locale}-${width}-${path.replace('/', '-')}.png`, fullPage: true });
      }
      await page.goto('/approvals');
      await page.locator('table.request-list a').first().click();
      await page.screenshot({ path: `screenshots/${locale}-${width}-request.png`, fullPage: true });
      await page.goto('/team');
      await page.locator('details.member-edit summary').first().click();
      await page.screenshot({ path: `screenshots/${locale}-${width}-team-edit.png`, fullPage: true });
      const email = `shot-${locale}-${width}-${Date.now()}@acme-partner.example`;
      await page.locator('#invite-email').fill(email);
      await page.locator('#invite-locale').selectOption(locale);
      await page.locator('.invite-form button[type="submit"]').click();
      await page.getByRole('status').waitFor();
      const invitee = await (await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 800 } })).newPage();
      await invitee.context().addCookies([{ name: 'portal_locale', value: locale, url }]);
      await invitee.goto(await mailedLink(email, '/invitations/'));
      await invitee.screenshot({ path: `screenshots/${locale}-${width}-invitation.png`, fullPage: true });
    });
  }
}

// Issue 15: the quote pages of a buyer and the merchant's desk.
for (const locale of ['en', 'ar', 'ja']) {
  for (const width of [1280, 360]) {
    test(`quote screens ${locale} ${width}`, async ({ page, context }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const url = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      const buyer = locale === 'ja' ? 'kenji@kanto.example' : locale === 'ar' ? 'omar@bayt.example' : 'buyer@acme.example';
      await signIn(page, buyer, locale);
      await page.goto('/quotes');
      await page.screenshot({ path: `screenshots/${locale}-${width}-quotes.png`, fullPage: true });
      await page.locator('[data-testid="quote-row"] a').first().click();
      await page.screenshot({ path: `screenshots/${locale}-${width}-quote.png`, fullPage: true });
      if (locale === 'en') {
        await page.goto('/quotes/Q-100003');
        await page.screenshot({ path: `screenshots/${locale}-${width}-quote-revisions.png`, fullPage: true });
      }
      await context.clearCookies();
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      await signIn(page, 'staff@northwind.example', locale);
      await page.goto('/staff/quotes');
      await page.screenshot({ path: `screenshots/${locale}-${width}-desk.png`, fullPage: true });
      await page.goto('/staff/quotes/Q-100003');
      await page.screenshot({ path: `screenshots/${locale}-${width}-desk-quote.png`, fullPage: true });
    });
  }
}

// Issue 16: invoices as Finance (the list with its totals and ageing, one invoice).
for (const locale of ['en', 'ar', 'ja']) {
  for (const width of [1280, 360]) {
    test(`invoice screens ${locale} ${width}`, async ({ page, context }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const url = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      await signIn(page, 'finance@acme.example', locale);
      await page.goto('/invoices');
      await page.screenshot({ path: `screenshots/${locale}-${width}-invoices.png`, fullPage: true });
      await page.locator('[data-testid="invoice-row"] a').first().click();
      await page.screenshot({ path: `screenshots/${locale}-${width}-invoice.png`, fullPage: true });
    });
    test(`billing settings ${locale} ${width}`, async ({ page, context }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const url = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      await signIn(page, 'admin@acme.example', locale);
      await page.goto('/invoices');
      await page.locator('.billing-settings summary').click();
      await page.locator('.billing-settings').screenshot({ path: `screenshots/${locale}-${width}-billing.png` });
    });
  }
}

// Issue 17: the merchant's search desk (synonyms, missed searches) and "Did you mean".
for (const locale of ['en', 'ar', 'ja']) {
  for (const width of [1280, 360]) {
    test(`search desk ${locale} ${width}`, async ({ page, context }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const url = process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      const buyer = locale === 'ja' ? 'kenji@kanto.example' : locale === 'ar' ? 'omar@bayt.example' : 'buyer@acme.example';
      await signIn(page, buyer, locale);
      await page.goto('/search?q=stainlezzz+boltzz');
      await page.screenshot({ path: `screenshots/${locale}-${width}-did-you-mean.png`, fullPage: true });
      await context.clearCookies();
      await context.addCookies([{ name: 'portal_locale', value: locale, url }]);
      await signIn(page, 'staff@northwind.example', locale);
      await page.goto('/staff/search');
      await page.screenshot({ path: `screenshots/${locale}-${width}-search-desk.png`, fullPage: true });
    });
  }
}
