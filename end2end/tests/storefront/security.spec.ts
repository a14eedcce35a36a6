import { test, expect, type Page } from '@playwright/test';

/** Collects Content-Security-Policy violations the page reports. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|compile)/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (err) => violations.push(`page error: ${err.message}`));
  return violations;
}

test('every kind of page hydrates under the Content-Security-Policy with no violation', async ({ page }) => {
  const violations = await watchViolations(page);
  for (const path of ['/', '/c/electronics', '/search?q=lamp', '/cart', '/account/sign-in', '/account/register', '/no-such-page']) {
    const response = await page.goto(path);
    const policy = response!.headers()['content-security-policy'];
    expect(policy, path).toContain("'nonce-");
    expect(policy, path).toContain("frame-ancestors 'none'");
    await expect(page.locator('body'), path).toHaveAttribute('data-hydrated', 'true');
  }
  // Hydrated code runs: the product page's client-side gallery answers a click.
  await page.goto('/c/electronics');
  await page.getByTestId('product-card').first().getByRole('heading').getByRole('link').click();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: /Show image 2 of/ }).click();
  await expect(page.getByTestId('main-image')).toHaveAttribute('src', /-1\.svg$/);
  expect(violations).toEqual([]);
});

test('a script injected without the nonce is refused by the browser', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.appendChild(script);
  });
  expect(await page.evaluate(() => (window as any).__injected === true)).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});
