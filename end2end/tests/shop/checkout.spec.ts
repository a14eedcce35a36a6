import { test, expect, Page } from '@playwright/test';

/** Opens an in-stock product from a category and returns its name. */
async function openProduct(page: Page, category: string): Promise<string> {
  await page.goto(`/c/${category}?stock=1`);
  const link = page.getByTestId('product-card').first().getByRole('heading').getByRole('link');
  const name = (await link.innerText()).trim();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return name;
}

/** Fills the delivery details and places the order; lands on the order page. */
async function placeOrder(page: Page, email: string) {
  await page.getByLabel('Email (for the receipt)').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('12 St James’s Square');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postal code').fill('SW1Y 4JH');
  await page.getByTestId('place-order').click();
  await expect(page).toHaveURL(/\/order\/OX-[A-Z0-9]{8}\?key=/);
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'pending-payment');
}

async function payWith(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code').fill('123');
  await page.getByTestId('pay').click();
}

test.describe('with JavaScript', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (err) => { throw err; });
  });

  test('a guest buys with a promo code; a declined card, then one that pays', async ({ page }, info) => {
    const name = await openProduct(page, 'pets');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByTestId('add-to-cart').click();
    await expect(page.getByTestId('form-done')).toContainText('Added to your cart');
    await expect(page.getByTestId('cart-count')).toHaveText('1');

    await page.getByTestId('cart-link').click();
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    await expect(page.getByTestId('cart-line')).toContainText(name);
    await page.getByTestId('checkout').click();
    await expect(page).toHaveURL(/\/checkout$/);
    await page.getByLabel('Country code').fill('GB');
    await page.getByTestId('promo').fill('WELCOME10');
    await page.getByTestId('update-summary').click();
    await expect(page).toHaveURL(/promo=WELCOME10/);
    await expect(page.getByTestId('discount')).toBeVisible();
    await expect(page.getByTestId('tax')).not.toHaveText('$0.00');

    await placeOrder(page, `guest-${info.project.name}-${Date.now()}@example.com`);
    await payWith(page, '4000 0000 0000 0002');
    await expect(page.getByTestId('form-error')).toContainText('declined');
    await payWith(page, '4242 4242 4242 4242');
    await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
    await expect(page.getByTestId('payment-status')).toContainText('Visa ending 4242');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('from cart to paid order with plain forms', async ({ page }, info) => {
    const name = await openProduct(page, 'garden-diy');
    await page.getByTestId('add-to-cart').click();
    await page.goto('/cart');
    await expect(page.getByTestId('cart-line')).toContainText(name);
    await expect(page.getByTestId('cart-count')).toHaveText('1');
    await page.getByTestId('checkout').click();
    await placeOrder(page, `nojs-${info.project.name}-${Date.now()}@example.com`);
    await payWith(page, '4242 4242 4242 4242');
    await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
    await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  });
});
