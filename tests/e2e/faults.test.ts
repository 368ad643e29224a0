import { spawnSync } from 'node:child_process';
import type { Page, Route } from '@playwright/test';
import { reset } from '../../harness/harness.js';
import { SqliteLedger } from '../../robots/sqlite-ledger.js';
import { CONTENT_KEYS, courseState } from './course-state.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { runRobot } from './robot-run.js';

// Faults injected for real (Playwright routing between the robot's browser and vert), each with the
// course checked on the server afterwards. The rule: before Perform, untouched; after it, the outcome
// says so and the ledger keeps the course out of a blind rerun.
test.describe.configure({ mode: 'serial', timeout: 15 * 60_000 });
test.beforeAll(async () => {
  await reset(HARNESS_VERSION);
});
test.afterAll(async () => {
  await reset(HARNESS_VERSION);
});

/** Answers the first POST of one wizard form (by its Moodle form id) with a fault; returns how many were hit. */
async function faultOnForm(page: Page, form: string, fault: (route: Route) => Promise<void>) {
  const hits = { count: 0 };
  await page.context().route('**/backup/restore.php*', async (route) => {
    const body = route.request().postData() ?? '';
    if (route.request().method() === 'POST' && body.includes(`_qf__${form}=1`) && hits.count === 0) {
      hits.count++;
      await fault(route);
      return;
    }
    await route.continue();
  });
  return hits;
}

test('a wrong password: the CLI says which site refused whom, changes nothing, never prints the password', async ({
  harness,
}) => {
  const before = await courseState(harness.sites.vert.courses['ANG-EC1'] ?? 0);
  const wrong = 'Not-The-Password-42';
  const cli = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bin/ecampus-restore.ts', 'restore', 'ANG-EC1'],
    {
      env: {
        ...process.env,
        VERT_URL: harness.sites.vert.url,
        BLEU_URL: harness.sites.bleu.url,
        MOODLE_USERNAME: harness.teacher,
        MOODLE_PASSWORD: wrong,
        MOODLE_STORAGE_STATE: '',
        EVIDENCE_DIR: test.info().outputPath('evidence'),
        LEDGER_PATH: test.info().outputPath('ledger.sqlite'),
      },
      encoding: 'utf8',
    },
  );
  const output = `${cli.stdout}${cli.stderr}`;
  expect(cli.status).toBe(1);
  expect(output).toContain(`vert refused the login of ${harness.teacher}`);
  expect(output).not.toContain(wrong);
  expect(await courseState(harness.sites.vert.courses['ANG-EC1'] ?? 0)).toEqual(before);
});

test('the server answers 500 to the settings stage: failed before Perform, course untouched, a rerun restores it', async ({
  page,
  harness,
  loginAs,
}) => {
  const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
  const before = await courseState(courseId);
  const ledgerPath = test.info().outputPath('ledger.sqlite');
  await loginAs(page, 'vert');
  const hits = await faultOnForm(page, 'restore_settings_form', (route) =>
    route.fulfill({
      status: 500,
      contentType: 'text/html',
      body: '<html><title>500</title>Internal Server Error</html>',
    }),
  );
  const { outcome } = await runRobot(page, harness, 'HIST-GRP', { ledgerPath });
  expect(hits.count).toBe(1);
  // Seen as the next stage begins: the page after "Next" is no restore stage.
  expect(outcome).toMatchObject({ status: 'failed', step: 'schema', courseEmptied: false });
  expect(outcome.status === 'failed' && outcome.reason).toContain('shows no restore stage');
  const after = await courseState(courseId);
  for (const key of CONTENT_KEYS) expect(after[key], key).toBe(before[key]);
  const ledger = new SqliteLedger(ledgerPath);
  expect((await ledger.status(courseId)).state).toBe('never-touched');
  await ledger.close();

  await page.context().unrouteAll();
  const rerun = await runRobot(page, harness, 'HIST-GRP', { ledgerPath });
  expect(rerun.outcome, JSON.stringify(rerun.outcome)).toMatchObject({ status: 'restored' });
  expect((await courseState(courseId)).finishedRestores).toBe(1);
});

test('the connection drops on "Perform restore": reported as "course emptied, restore not confirmed", never rerun blindly', async ({
  page,
  harness,
  loginAs,
}) => {
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  const ledgerPath = test.info().outputPath('ledger.sqlite');
  await loginAs(page, 'vert');
  const hits = await faultOnForm(page, 'restore_review_form', (route) => route.abort('connectionreset'));
  const { outcome } = await runRobot(page, harness, 'ANG-EC1', {
    ledgerPath,
    timeouts: { stepMs: 90_000, copyMs: 180_000, restoreMs: 90_000 },
  });
  expect(hits.count).toBe(1);
  expect(outcome).toMatchObject({ status: 'failed', step: 'perform the restore', courseEmptied: true });
  expect(outcome.status === 'failed' && outcome.reason).toMatch(/^course emptied, restore not confirmed/);
  const ledger = new SqliteLedger(ledgerPath);
  expect((await ledger.status(courseId)).state).toBe('failed-after-perform');
  await ledger.close();
  // Here the request never reached vert: the course is as it was. The robot cannot know that, so it says the worst.
  expect((await courseState(courseId)).finishedRestores).toBe(0);

  await page.context().unrouteAll();
  const rerun = await runRobot(page, harness, 'ANG-EC1', { ledgerPath });
  expect(rerun.outcome).toMatchObject({ status: 'refused', step: 'check the ledger' });
  expect(rerun.outcome.status === 'refused' && rerun.outcome.reason).toContain('--force');
});

test("Moodle's progress service fails during the asynchronous wait: the robot asks again and sees the restore end", async ({
  page,
  harness,
  loginAs,
}) => {
  await reset(HARNESS_VERSION);
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  await loginAs(page, 'vert');
  const failed = { count: 0 };
  await page.context().route('**/lib/ajax/service.php*', async (route) => {
    if (
      (route.request().postData() ?? '').includes('core_backup_get_async_backup_progress') &&
      failed.count < 3
    ) {
      failed.count++;
      await route.fulfill({ status: 503, body: 'Service Unavailable' });
      return;
    }
    await route.continue();
  });
  const { outcome } = await runRobot(page, harness, 'ANG-EC1');
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored' });
  expect(failed.count).toBe(3);
  expect((await courseState(courseId)).finishedRestores).toBe(1);
});
