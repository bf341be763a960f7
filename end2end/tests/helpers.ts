import { expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const PASSWORD = 'portal-demo-2026';

/** A translation from locales/<tag>.yml, so tests check the shipped text, not a copy of it. */
export function tr(locale: string, key: string): string {
  const doc = parse(readFileSync(join(__dirname, '..', '..', 'locales', `${locale}.yml`), 'utf8'));
  const value = key.split('.').reduce((node: any, part) => node?.[part], doc);
  if (typeof value !== 'string') throw new Error(`${locale} has no ${key}`);
  return value;
}

/** Signs in through the login page (shown in `locale`), as a buyer would. */
export async function signIn(page: Page, email: string, locale = 'en') {
  await page.goto('/login');
  await page.getByLabel(tr(locale, 'auth.login.email')).fill(email);
  await page.getByLabel(tr(locale, 'auth.login.password')).fill(PASSWORD);
  await page.getByRole('button', { name: tr(locale, 'auth.login.submit') }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Waits until the WASM app has hydrated (frontend/src/lib.rs marks <html data-hydrated>). */
export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}
