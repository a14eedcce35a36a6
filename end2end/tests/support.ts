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
