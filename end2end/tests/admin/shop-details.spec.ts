import { test, expect, Page } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';
import { buyOpenProduct, openProduct } from '../shop/shop';

// The shop's details from an admin's browser, on a desktop and a phone: the
// seller's address, VAT number and legal text are saved in Settings and a
// shopper's invoice carries them; a bad VAT number is explained. The
// search synonyms list is edited as text. (The order-number prefix stays
// OX: every other test's orders share this shop.)

/** Saves the details form with `vat`, again after a reload if the other profile saved meanwhile. */
async function saveDetails(page: Page, vat: string, legal: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.goto('/admin/settings');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    const form = page.getByTestId('details-form');
    await form.getByLabel("Seller's address (on invoices)").fill('Oxcart Ltd\n1 Market Street\nLondon EC1A 1AA');
    await form.getByLabel('VAT number (on invoices)').fill(vat);
    await form.getByLabel('Legal text at the foot of every invoice (registration, terms)').fill(legal);
    await page.getByTestId('save-details').click();
    const saved = page.getByTestId('details-saved');
    const refused = form.getByRole('alert');
    await expect(saved.or(refused).first()).toBeVisible();
    if (await refused.isVisible() && (await refused.innerText()).includes('Someone else saved')) continue;
    await expect(saved).toBeVisible();
    await expect(form.getByLabel('VAT number (on invoices)')).toHaveValue(vat);
    return;
  }
  throw new Error('the details could not be saved in three tries');
}

test('an admin sets the shop details and the invoice carries them', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`.toUpperCase();
  await createStaff(page, `details-${word.toLowerCase()}@example.com`, 'details pass phrase 1');
  await enrolTwoStep(page, 'details pass phrase 1');

  // A bad VAT number is explained, and nothing is saved.
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('details-form').getByLabel('VAT number (on invoices)').fill('GB<123>');
  await page.getByTestId('save-details').click();
  await expect(page.getByTestId('details-form').getByRole('alert')).toContainText('A VAT number has letters, digits');

  const vat = `GB${word}`;
  await saveDetails(page, vat, `Registered in England, company ${word}.`);

  // A shopper's invoice carries the seller's details as they are now.
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await openProduct(shopper, 'pets');
  await buyOpenProduct(shopper, `details-buyer-${word.toLowerCase()}@example.com`);
  const invoice = await shopper.getByTestId('invoice').getAttribute('href');
  await shopper.goto(invoice!);
  await expect(shopper.locator('.seller')).toContainText('1 Market Street');
  // The other profile may have saved its own number since: either is the shop's.
  await expect(shopper.locator('.seller')).toContainText(/VAT number GB[A-Z0-9]+/);
  await expect(shopper.locator('.legal')).toContainText('Registered in England, company');
  await context.close();

  // The synonyms list, edited as text.
  await page.goto('/admin/settings');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const synonyms = page.getByTestId('synonyms');
  const list = await synonyms.inputValue();
  await synonyms.fill(`${list}\nnot a line`);
  await page.getByTestId('save-synonyms').click();
  await expect(page.getByTestId('synonyms-form').getByRole('alert')).toContainText('word: synonym');
  await synonyms.fill(`${list.split('\n').filter((l) => !l.startsWith('kit-')).join('\n')}\nkit-${word.toLowerCase()}: gear`);
  await page.getByTestId('save-synonyms').click();
  await expect(page.getByTestId('synonyms')).toHaveValue(new RegExp(`kit-${word.toLowerCase()}: gear`));
});
