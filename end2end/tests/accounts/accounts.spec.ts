import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep, mailLink, totp } from '../support';

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (err) => { throw err; });
});

test('register, confirm from the outbox, change password, sign out and in again', async ({ page }, info) => {
  const email = `shopper-${info.project.name}-${Date.now()}@example.com`;
  await page.goto('/account/register');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-error')).toContainText('too easy to guess');
  await page.getByLabel('Password').fill('analytical engine 1843');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-done')).toContainText(`We sent a message to ${email}`);

  const link = await mailLink(email);
  expect(link).toContain('/account/confirm?token=');
  await page.goto(link);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await expect(page.getByTestId('account-link')).toHaveText('Ada Lovelace');

  await page.getByLabel('Current password').fill('analytical engine 1843');
  await page.getByLabel('New password').fill('difference engine 1822');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('form-done')).toContainText('Your password was changed');

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-link')).toHaveText('Sign in');

  await page.goto('/account/sign-in');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('analytical engine 1843');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('That email and password do not match an account.');
  await page.getByLabel('Password').fill('difference engine 1822');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('account-email')).toHaveText(email);

  await page.getByText('Add an address').click();
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill("12 St James's Square");
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postal code').fill('sw1y 4jh');
  await page.getByLabel(/Country code/).fill('gb');
  await page.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByTestId('addresses')).toContainText('SW1Y 4JH London');

  // News and offers by email: agreed, then withdrawn, each change said with its time.
  await page.getByTestId('marketing-consent').check();
  await page.getByTestId('save-consents').click();
  await expect(page.getByTestId('consent-status')).toContainText('News and offers by email: agreed on');
  await expect(page.getByTestId('marketing-consent')).toBeChecked();
  await page.getByTestId('marketing-consent').uncheck();
  await page.getByTestId('save-consents').click();
  await expect(page.getByTestId('consent-status')).toContainText('withdrawn on');
  await expect(page.getByTestId('marketing-consent')).not.toBeChecked();
});

test('the account page asks a signed-out visitor to sign in', async ({ page }) => {
  const response = await page.goto('/account');
  expect(response?.status()).toBe(401);
  await expect(page.getByRole('link', { name: 'Sign in' }).last()).toBeVisible();
});

test('an admin turns on two-step sign-in, then signs in with a code', async ({ page }, info) => {
  const email = `admin-${info.project.name}-${Date.now()}@example.com`;
  await createStaff(page, email, 'admin pass phrase 1');

  const refused = await page.goto('/admin/audit');
  expect(refused?.status()).toBe(403);
  await expect(page.getByText('Staff need two-step sign-in')).toBeVisible();

  const secret = await enrolTwoStep(page, 'admin pass phrase 1');

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/account/sign-in');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('admin pass phrase 1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account\/two-step$/);
  await page.getByLabel('Code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/admin/audit');
  await expect(page.getByTestId('audit-log')).toContainText('two-step-enabled');
});
