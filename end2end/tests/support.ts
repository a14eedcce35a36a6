import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The port and data directory of the server the tests run against. */
export const port = Number(process.env.E2E_PORT ?? 3217);
export const dataDir = path.join(os.tmpdir(), `oxcart-e2e-${port}`);

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
