import { test, expect } from '@playwright/test';
import { createStaff, enrolTwoStep } from '../support';

// The catalog import from an admin's browser, on a desktop and a phone: a
// CSV file is checked first (a line per variant says what would happen,
// and a bad line why it is refused), then imported as a job with a progress
// bar; the new product is then in the back office's product list.

test('an admin checks a CSV file, then imports it', async ({ page }, info) => {
  test.setTimeout(90_000);
  page.on('pageerror', (err) => { throw err; });
  const word = `${Date.now().toString(36)}${info.project.name[0]}`.toLowerCase();
  await createStaff(page, `import-${word}@example.com`, 'import pass phrase 1');
  await enrolTwoStep(page, 'import pass phrase 1');

  // A brand and a category the shop has, from its own export.
  const exported = await (await page.request.get('/admin/products.csv')).text();
  const [, , , brand, category] = exported.split('\r\n')[1].split(',');
  const csv = [
    'handle,name,status,brand,category,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,sku,price,stock',
    `lamp-${word},Lamp ${word},draft,${brand},${category},Colour,Red,,,,,LAMP-${word}-R,20.00,3`,
    `lamp-${word},Lamp ${word},draft,${brand},${category},Colour,Blue,,,,,LAMP-${word}-B,22.00,4`,
    `vase-${word},Vase ${word},draft,${brand},${category},,,,,,,VASE-${word},not a price,1`,
  ].join('\r\n');

  await page.goto('/admin/products');
  await page.getByTestId('import-products').click();
  await expect(page).toHaveURL(/\/admin\/import$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('import-file').setInputFiles({ name: `lamps-${word}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-check').click();

  // The check: two variants to create, one line refused with its reason.
  await expect(page).toHaveURL(/\/admin\/import\?job=\d+/);
  await expect(page.getByTestId('import-state')).toContainText('Checked: 3 lines');
  await expect(page.getByTestId('count-created')).toHaveText('2 to create');
  await expect(page.getByTestId('count-refused')).toHaveText('1 refused');
  const refused = page.getByTestId('import-line').filter({ hasText: `VASE-${word}` });
  await expect(refused).toContainText('not an amount');
  await expect(refused).toContainText('4');
  if (info.project.name.includes('mobile')) {
    // Nothing is wider than the phone's screen: the table scrolls in its box.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  }

  // The import: a progress bar to the end, then its account.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-state')).toContainText('Imported', { timeout: 30_000 });
  const progress = page.getByTestId('import-progress');
  expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
  await expect(page.getByTestId('count-created')).toHaveText('2 created');
  await expect(page.getByTestId('import-recent')).toContainText(`lamps-${word}.csv`);

  await page.goto(`/admin/products?q=${word}`);
  await expect(page.getByText(`Lamp ${word}`)).toBeVisible();
});
