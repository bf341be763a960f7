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

/**
 * A plural message from locales/<tag>.yml with its count filled in: the form is chosen by the
 * CLDR plural category of `count` (Node's Intl, the same rules the app takes from icu_plurals;
 * `other` when Node's CLDR lacks a category the file has).
 */
export function trCount(locale: string, key: string, count: number): string {
  const doc = parse(readFileSync(join(__dirname, '..', '..', 'locales', `${locale}.yml`), 'utf8'));
  const message = key.split('.').reduce((node: any, part) => node?.[part], doc);
  // "{count, plural, one {…} other {…}}" (app/src/plural_message.rs): forms nest %{…} placeholders.
  const head = '{count, plural,';
  if (typeof message !== 'string' || !message.startsWith(head)) throw new Error(`${locale} ${key} is not a plural message`);
  const forms: Record<string, string> = {};
  let rest = message.slice(head.length, -1).trim();
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    let depth = 0;
    let close = open;
    for (; close < rest.length; close++) {
      if (rest[close] === '{') depth++;
      if (rest[close] === '}' && --depth === 0) break;
    }
    forms[rest.slice(0, open).trim()] = rest.slice(open + 1, close);
    rest = rest.slice(close + 1).trim();
  }
  if (typeof forms.other !== 'string') throw new Error(`${locale} ${key} has no other form`);
  const form: string = forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
  return form.split('%{count}').join(String(count));
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

/**
 * The path (e.g. `/invitations/<token>`) of the newest link starting with `prefix` in a mail to
 * `recipient`, read from the server's outbox folder (scripts/test.sh passes it in PORTAL_OUTBOX):
 * the real mail the portal sent, as a person would open it. Waits for the sender (it runs every
 * second).
 */
export async function mailedLink(recipient: string, prefix: string): Promise<string> {
  const { readdirSync, statSync } = await import('node:fs');
  const dir = process.env.PORTAL_OUTBOX;
  if (!dir) throw new Error('PORTAL_OUTBOX is not set (scripts/test.sh sets it)');
  for (let attempt = 0; attempt < 60; attempt++) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const { f } of files) {
      const mail = decodeMail(readFileSync(join(dir, f), 'utf8'));
      if (!mail.headers.toLowerCase().includes(`to: ${recipient.toLowerCase()}`)) continue;
      const at = mail.body.indexOf(prefix);
      if (at >= 0) return mail.body.slice(at).match(/^\/[a-z-]+\/[0-9a-f]{64}/)![0];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${recipient} with a ${prefix} link in ${dir}`);
}

/** Headers and the text body of a single-part .eml (7bit, quoted-printable or base64). */
function decodeMail(raw: string): { headers: string; body: string } {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  let body = raw.slice(split).trim();
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    body = body.replace(/=\r?\n/g, '');
    body = Buffer.from(body.replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { headers, body };
}
