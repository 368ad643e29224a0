import { mkdirSync } from 'node:fs';
import { findSecrets } from './secret-scan.js';
import { expect, test } from './moodle-harness.js';

// The suite's own traces (kept for failed tests, attached to CI's report) record every action's
// arguments and the browser's network: the fixtures' login must leave no password in them.
test.use({ trace: 'off' });

test("a trace of the fixtures' login holds no password", async ({ browser, harness, teacher, loginAs }) => {
  const context = await browser.newContext();
  await context.tracing.start({ screenshots: true, snapshots: true, sources: true });
  const page = await context.newPage();
  await loginAs(page, 'vert', teacher);
  await page.goto(`${harness.sites.vert.url}/my/`);
  await expect(page.locator('body:not(.notloggedin)')).toHaveCount(1);
  const dir = test.info().outputPath('trace');
  mkdirSync(dir, { recursive: true });
  await context.tracing.stop({ path: `${dir}/trace.zip` });
  await context.close();

  const { found, filesSearched } = await findSecrets(dir, {
    password: teacher.password,
    'password (form-encoded)': new URLSearchParams({ p: teacher.password }).toString().slice(2),
    'password (JSON)': JSON.stringify(teacher.password).slice(1, -1),
  });
  // The zip and its entries (the action log, the network log, snapshots) were all read.
  expect(filesSearched).toBeGreaterThan(3);
  expect(found).toEqual([]);
});
