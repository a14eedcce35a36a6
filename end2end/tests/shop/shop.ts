// Steps shared by the shop's browser tests.
import { expect, Page } from '@playwright/test';
import { mailLink } from '../support';

/** Opens an in-stock product from a category and returns its name. */
export async function openProduct(page: Page, category: string): Promise<string> {
  await page.goto(`/c/${category}?stock=1`);
  const link = page.getByTestId('product-card').first().getByRole('heading').getByRole('link');
  const name = (await link.innerText()).trim();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return name;
}

/**
 * Opens the first in-stock product of `category` sold by a marketplace seller
 * (the product page names them) and returns the seller's slug.
 */
export async function openSellersProduct(page: Page, category: string): Promise<string> {
  await page.goto(`/c/${category}?stock=1`);
  const links = page.getByTestId('product-card').getByRole('heading').getByRole('link');
  const hrefs = await Promise.all((await links.all()).map((l) => l.getAttribute('href')));
  for (const href of hrefs) {
    await page.goto(href!);
    const seller = page.getByTestId('seller');
    if (await seller.count()) return (await seller.getAttribute('data-seller'))!;
  }
  throw new Error(`no product of ${category} is sold by a marketplace seller`);
}

/** Puts the product open on `page` (once hydrated) in the cart. */
export async function addOpenProduct(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('add-to-cart').click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
}

/** Opens checkout for a delivery to Great Britain with promo `code` and asks for the summary. */
export async function quoteWithPromo(page: Page, code: string) {
  await page.goto('/checkout');
  await page.getByLabel('Country code').fill('GB');
  await page.getByTestId('promo').fill(code);
  await page.getByTestId('update-summary').click();
}

/** Fills the delivery details and places the order; lands on the order page. */
export async function placeOrder(page: Page, email: string) {
  await page.getByLabel('Email (for the receipt)').fill(email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('12 St James’s Square');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postal code').fill('SW1Y 4JH');
  await page.getByTestId('place-order').click();
  await expect(page).toHaveURL(/\/order\/OX-[A-Z0-9]{8}\?key=/);
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'pending-payment');
}

export async function payWith(page: Page, card: string) {
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiry (MM/YY)').fill('12/39');
  await page.getByLabel('Security code').fill('123');
  await page.getByTestId('pay').click();
}

/**
 * Buys the product open on `page` (once hydrated) as a guest with a card that
 * succeeds; returns the paid order's number. The page stays on the order.
 */
export async function buyOpenProduct(page: Page, email: string): Promise<string> {
  await addOpenProduct(page);
  await page.goto('/checkout');
  await placeOrder(page, email);
  await payWith(page, '4242 4242 4242 4242');
  await expect(page.getByTestId('order-status')).toHaveAttribute('data-status', 'paid');
  return (await page.getByTestId('order-number').innerText()).trim();
}

/** Registers `email` and confirms it from the outbox; the page is signed in. */
export async function register(page: Page, email: string) {
  await page.goto('/account/register');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('compiler pass phrase 1952');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-done')).toBeVisible();
  await page.goto(await mailLink(email));
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
}
