import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep, mailLink } from '../support';

// People, from an admin's browser: an order manager is invited by mail,
// sets a password, turns on two-step sign-in and finds only the order desk;
// the admin then changes their role and disables them.

test('an admin invites an order manager who sees only the orders, then changes and disables them', async ({ page, browser }, info) => {
  test.setTimeout(120_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`;
  const manager = `om-${word}@example.com`;
  await createStaff(page, `people-admin-${word}@example.com`, 'people pass phrase 1');
  await enrolTwoStep(page, 'people pass phrase 1');
  await page.goto('/admin/people');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const invite = page.getByTestId('invite-form');
  await invite.getByLabel('Email').fill(manager);
  await invite.getByLabel('Role').selectOption('orders');
  await page.getByTestId('invite').click();
  const person = page.locator(`[data-testid=person][data-email="${manager}"]`);
  await expect(person).toHaveCount(1);
  await expect(person.getByTestId('person-role')).toHaveText('Order manager');
  await expect(person.getByTestId('person-state')).toHaveText('No two-step sign-in yet');

  // The invitation: a password, then two-step sign-in, then the order desk only.
  const context = await browser.newContext();
  const them = await context.newPage();
  const link = new URL(await mailLink(manager));
  await them.goto(link.pathname + link.search);
  await expect(them.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await them.getByLabel('New password').fill('order pass phrase 1');
  await them.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(them).toHaveURL(/\/account$/);
  await them.goto('/admin/orders');
  await expect(them.locator('main')).toContainText('two-step');
  await enrolTwoStep(them, 'order pass phrase 1');
  await them.goto('/admin/orders');
  await expect(them.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(them.getByTestId('admin-nav-orders')).toBeVisible();
  await expect(them.getByTestId('admin-nav-products')).toHaveCount(0);
  await expect(them.getByTestId('admin-nav-people')).toHaveCount(0);
  await them.goto('/admin/products');
  await expect(them.locator('main')).toContainText('As order manager you cannot');

  // A new role, then disabled: their next page finds them signed out.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await person.getByLabel(`Role of ${manager}`).selectOption('catalog');
  await person.getByTestId('change-role').click();
  await expect(person.getByTestId('person-role')).toHaveText('Catalog manager');
  await expect(person.getByTestId('person-state')).toHaveText('Active');
  await person.getByTestId('toggle-disabled').click();
  await expect(person.getByTestId('person-state')).toHaveText('Active', { timeout: 1_000 });
  await person.getByLabel('Sure').first().check();
  await person.getByTestId('toggle-disabled').click();
  await expect(person.getByTestId('person-state')).toHaveText('Disabled');
  await them.goto('/admin/products');
  await expect(them.locator('main')).toContainText('Sign in');
  await context.close();
});
