import { expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The port, data directory and binary of the server the tests run against. */
export const port = Number(process.env.E2E_PORT ?? 3217);
export const dataDir = path.join(os.tmpdir(), `oxcart-e2e-${port}`);
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(__dirname, '..', '..', 'target');
export const bin = process.env.OXCART_BIN ?? path.join(targetDir, 'release', 'oxcart');

/** The RFC 6238 code for a base32 `secret`, `offset` 30-second steps from now. */
export function totp(secret: string, offset = 0): string {
  let bits = '';
  for (const c of secret) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offset));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const at = mac[19] & 0x0f;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The first link in the newest mail to `to` that the shop wrote to its outbox directory. */
export async function mailLink(to: string, timeoutMs = 10_000): Promise<string> {
  const dir = path.join(dataDir, 'mail');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const mails = files
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .filter((m) => m.includes(`To: ${to}\r\n`));
    const link = mails.at(-1)?.match(/https?:\/\/\S+/)?.[0];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
}

/**
 * Creates staff from the command line (`oxcart create-admin`, or with `seller`
 * `oxcart create-seller-staff`) and signs `page` in as them with `password`.
 */
export async function createStaff(page: Page, email: string, password: string, seller?: string) {
  const args = seller ? ['create-seller-staff', '--email', email, '--seller', seller] : ['create-admin', '--email', email];
  const out = execFileSync(bin, args, {
    env: { ...process.env, OXCART_DATA_DIR: dataDir, DATABASE_URL: '', OXCART_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'error' },
  }).toString();
  const link = new URL(out.match(/https?:\/\/\S+/)![0]);
  await page.goto(link.pathname + link.search);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Turns on two-step sign-in for the signed-in user of `page` (whose password is `password`); returns the base32 secret. */
export async function enrolTwoStep(page: Page, password: string): Promise<string> {
  await page.goto('/account');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Password, to set up the app').fill(password);
  await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const secret = (await page.getByTestId('two-step-secret').innerText()).trim();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  return secret;
}

/**
 * The text of the newest mail to `to` that contains `containing` (quoted-
 * printable undone), once the shop has written it to its outbox directory.
 */
export async function mailText(to: string, containing: string, timeoutMs = 10_000): Promise<string> {
  const dir = path.join(dataDir, 'mail');
  const deadline = Date.now() + timeoutMs;
  const decode = (mail: string) =>
    /Content-Transfer-Encoding: quoted-printable/i.test(mail)
      ? mail.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
      : mail;
  while (Date.now() < deadline) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort() : [];
    const mails = files
      .map((f) => decode(fs.readFileSync(path.join(dir, f), 'utf8')))
      .filter((m) => m.includes(`To: ${to}\r\n`) && m.includes(containing));
    if (mails.length) return mails.at(-1)!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} with "${containing}" within ${timeoutMs} ms`);
}
