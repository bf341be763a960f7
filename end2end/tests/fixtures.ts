import { test as base, expect } from '@playwright/test';

export * from '@playwright/test';

/**
 * Every test runs with the portal's Content-Security-Policy on (it is on every response) and fails
 * on any violation: a blocked inline script, style or foreign fetch is reported to the page
 * (`securitypolicyviolation`) and to the console, and both are collected here.
 */
export const test = base.extend<{ cspGuard: void; cspViolationExpected: boolean }>({
  // Only the test proving that the guard sees a violation expects one.
  cspViolationExpected: [false, { option: true }],
  cspGuard: [
    async ({ page, cspViolationExpected }, use) => {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
      });
      // Injected by Playwright, outside the page's policy.
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
        ),
      );
      await use();
      if (cspViolationExpected) expect(violations.length, 'the injected script was reported').toBeGreaterThan(0);
      else expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
