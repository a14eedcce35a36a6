import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep, mailLink } from '../support';

// Customers, from an admin's browser: a registered shopper is found by
// name, their page shows their account, the admin downloads their data and
// disables the account (behind a confirmation); the shopper is signed out.

test('an admin finds a customer, downloads their data and disables them', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`;
  const email = `cust-${word}@example.com`;
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await shopper.goto('/account/register');
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await shopper.getByLabel('Your name').fill(`Grace ${word}`);
  await shopper.getByLabel('Email').fill(email);
  await shopper.getByLabel('Password').fill('compiler pass phrase 1952');
  await shopper.getByRole('button', { name: 'Create account' }).click();
  await shopper.goto(await mailLink(email));
  await expect(shopper.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await shopper.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(shopper).toHaveURL(/\/account$/);

  await createStaff(page, `cust-admin-${word}@example.com`, 'customers pass phrase 1');
  await enrolTwoStep(page, 'customers pass phrase 1');
  await page.goto('/admin/customers');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('customer-search').fill(`grace ${word}`);
  await page.locator('#main').getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('customer-count')).toHaveText('1 customer(s)');
  await page.getByRole('link', { name: email }).click();
  await expect(page.getByTestId('customer-email')).toHaveText(email);
  await expect(page.getByTestId('customer-state')).toHaveText('Active');

  const exported = await page.request.get((await page.getByTestId('export-customer').getAttribute('href'))!);
  expect(exported.status()).toBe(200);
  expect((await exported.json()).account.email).toBe(email);

  await page.getByTestId('toggle-customer').click();
  await expect(page.getByTestId('customer-state')).toHaveText('Active');
  await page.getByTestId('disable-customer-form').getByLabel('Sure').check();
  await page.getByTestId('toggle-customer').click();
  await expect(page.getByTestId('customer-state')).toHaveText('Disabled');

  await shopper.goto('/account');
  await expect(shopper.getByTestId('account-link')).toHaveText('Sign in');
  await context.close();
});
