import { test, expect } from '@playwright/test';
import { mailLink } from '../support';
import { openProduct, payWith, placeOrder } from './shop';

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

test.describe('signed in', () => {
  test.beforeEach(async ({ page }) => {
    page.on('pageerror', (err) => { throw err; });
  });

  test('a guest cart joins the account at sign-in, then a purchase with a promo code', async ({ page }, info) => {
    const email = `buyer-${info.project.name}-${Date.now()}@example.com`;
    const password = 'analytical engine 1843';
    await page.goto('/account/register');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByTestId('form-done')).toBeVisible();
    await page.goto(await mailLink(email));
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await expect(page).toHaveURL(/\/account$/);
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('account-link')).toHaveText('Sign in');

    const name = await openProduct(page, 'toys-games');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByTestId('add-to-cart').click();
    await expect(page.getByTestId('cart-count')).toHaveText('1');

    await page.goto('/account/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/account$/);
    await page.goto('/cart');
    await expect(page.getByTestId('cart-line')).toContainText(name);

    await page.getByTestId('checkout').click();
    await page.getByTestId('promo').fill('WELCOME10');
    await page.getByTestId('update-summary').click();
    await expect(page.getByTestId('discount')).toBeVisible();
    // Signed in, the receipt goes to the account's address when the field is left empty.
    await page.getByLabel('Full name').fill('Grace Hopper');
    await page.getByLabel('Address', { exact: true }).fill('1 Navy Yard');
    await page.getByLabel('Town or city').fill('Arlington');
    await page.getByLabel('Postal code').fill('22202');
    await page.getByTestId('place-order').click();
    await expect(page).toHaveURL(/\/order\/OX-/);
    await expect(page.getByTestId('order')).toContainText(email);
    await payWith(page, '4242 4242 4242 4242');
    await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
  });
});
