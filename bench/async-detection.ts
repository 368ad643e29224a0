/**
 * How soon the end of an asynchronous restore is known: by the robot (Moodle's progress service asked
 * every second) and by Moodle's own progress page (which asks every 15 s). Both watch the same
 * restore of ANG-EC1 on the local harness; repeated `--runs` times (default 3).
 *
 *   npx tsx bench/async-detection.ts [--runs N]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../session/browser.js';
import { reset, status, up } from '../harness/harness.js';
import { BackupBlock } from '../pages/backup-block.js';
import { CoursePage } from '../pages/course-page.js';
import { resolveSite } from '../pages/moodle-site.js';
import { LoginPage } from '../pages/login-page.js';
import { endUserToursWhenShown } from '../pages/moodle-page.js';
import { RestoreConfirmPage } from '../pages/restore-confirm-page.js';
import { RestoreDestinationPage } from '../pages/restore-destination-page.js';
import { RestoreFilePage } from '../pages/restore-file-page.js';
import { RestoreProcessPage } from '../pages/restore-process-page.js';
import { RestoreReviewPage } from '../pages/restore-review-page.js';
import { RestoreSchemaPage } from '../pages/restore-schema-page.js';
import { RestoreSettingsPage } from '../pages/restore-settings-page.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);

async function once(): Promise<{ robotMs: number; moodlePageMs: number }> {
  await reset('4.5');
  const current = status('4.5');
  const teacher = current.accounts.find((account) => account.username === current.teacher);
  if (!teacher) throw new Error('no teacher');
  const vert = current.sites.vert;
  const browser = await chromium.launch(chromiumLaunchOptions('/usr/bin/chromium', true));
  try {
    const page = await browser.newPage();
    await endUserToursWhenShown(page);
    const login = new LoginPage({ page, url: vert.url });
    await login.goto();
    await login.submitCredentials(teacher.username, teacher.password);
    const site = await resolveSite(page, vert.url, '4.5');
    const course = new CoursePage(site);
    await course.goto(vert.courses['ANG-EC1'] ?? 0);
    const { contextId } = await course.ids();
    await course.turnEditingOn();
    const block = new BackupBlock(site, BackupBlock.SEED_TEXTS);
    await course.addBlock(BackupBlock.NAME, block.fetchLink);
    if (!(await block.fetchLink.isVisible())) await course.openBlockDrawer();
    const wizardWindow = await block.openFetchWindow();
    await wizardWindow.waitForLoadState('load', { timeout: 120_000 });
    await endUserToursWhenShown(wizardWindow);
    const wizard = site.in(wizardWindow);
    const files = new RestoreFilePage(wizard);
    const [row] = await files.privateBackups();
    if (!row) throw new Error('no backup fetched');
    await files.chooseBackup(row);
    await new RestoreConfirmPage(wizard).continue();
    const destination = new RestoreDestinationPage(wizard);
    await destination.chooseTarget(0);
    await destination.continue();
    const settings = new RestoreSettingsPage(wizard);
    await settings.set('calendarevents', false);
    await settings.next();
    await new RestoreSchemaPage(wizard).next();
    await new RestoreReviewPage(wizard).perform(120_000);
    const queuedAt = Date.now();
    const process = new RestoreProcessPage(wizard);
    const restoreId = await process.asyncRestoreId();
    if (!restoreId) throw new Error('the restore is not asynchronous');
    const [robotMs, moodlePageMs] = await Promise.all([
      process
        .waitForAsyncEnd(restoreId, contextId, { timeoutMs: 300_000, pollMs: 1000 })
        .then(() => Date.now() - queuedAt),
      // Moodle's page marks the breadcrumb's last stage ("7. Complete") current when its poll sees the end.
      wizardWindow
        .locator('.backup_progress > span:last-child.backup_stage_current')
        .first()
        .waitFor({ state: 'attached', timeout: 300_000 })
        .then(() => Date.now() - queuedAt),
    ]);
    return { robotMs, moodlePageMs };
  } finally {
    await browser.close();
  }
}

await up('4.5');
const results = [];
for (let run = 1; run <= runs; run++) {
  const result = await once();
  console.log(
    `run ${run}: robot knew after ${result.robotMs} ms, Moodle's page showed it after ${result.moodlePageMs} ms`,
  );
  results.push(result);
}
await reset('4.5');
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;
const summary = {
  when: new Date().toISOString(),
  runs: results,
  robotMedianMs: median(results.map((result) => result.robotMs)),
  moodlePageMedianMs: median(results.map((result) => result.moodlePageMs)),
};
console.log(`median: robot ${summary.robotMedianMs} ms, Moodle's page ${summary.moodlePageMedianMs} ms`);
await mkdir('bench/results', { recursive: true });
await writeFile(
  `bench/results/async-detection-${summary.when.slice(0, 10)}.json`,
  `${JSON.stringify(summary, null, 2)}\n`,
);
