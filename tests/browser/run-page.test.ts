import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { BatchPlan } from '../../batch/plan.js';
import { categoryOf } from '../../batch/run-page/read-run.js';
import { writeRunPage } from '../../batch/run-page/write-run-page.js';
import type { SummaryRow } from '../../batch/summary.js';
import { scratchDir } from '../helpers/scratch-dir.js';

// The real demo batch on Moodle 4.5 (3 restored, 3 refused), made small: summary, plan, outcomes,
// manifests and one shrunk screenshot per course.
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'demo-batch');
const SETTINGS = {
  bleuUrl: 'http://127.0.0.1:8081',
  supportEmail: 'cemu.assistance@unicaen.fr',
} as const;

function copyOfDemoBatch(): string {
  const dir = path.join(scratchDir('run-page'), 'batch-demo');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const readSummary = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as SummaryRow[];

/** A link of the page as a file of the batch folder (it must be relative: the folder may be moved). */
function fileOf(page: string, href: string): string {
  expect(href, 'a relative link').not.toMatch(/^[a-z]+:/);
  return fileURLToPath(new URL(href, pathToFileURL(page)));
}

async function visibleLines(page: Page): Promise<number[]> {
  return page
    .locator('#courses tr.row:visible')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-line'))));
}

test("the real demo batch's page: every row as summary.json says, filters, links, offline", async ({
  page,
}) => {
  const dir = copyOfDemoBatch();
  const file = await writeRunPage(dir, { ...SETTINGS, language: 'en' });
  expect(file).toBe(path.join(dir, 'index.html'));
  const summary = readSummary(dir);
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(pathToFileURL(file).href);

  await expect(page.locator('#courses tr.row')).toHaveCount(summary.length);
  for (const row of summary) {
    const tr = page.locator(`#courses tr.row[data-line="${row.line}"]`);
    await expect(tr.locator('td.course')).toHaveText(row.course);
    await expect(tr).toHaveAttribute('data-outcome', categoryOf(row.status, row.courseEmptied));
    await expect(tr.locator('td.outcome')).toHaveText(
      { restored: 'Restored', refused: 'Refused' }[row.status as string] ?? row.status,
    );
    if (row.reason) await expect(tr.locator('td.reason')).toContainText(row.reason);
    if (row.step) await expect(tr.locator('td.reason')).toContainText(`Stopped at “${row.step}”`);
    await expect(tr.locator('td.backup')).toHaveText(row.backupFile);
    await expect(tr.locator('td.lost')).toHaveText('nobody');
    const seconds = Math.round((Date.parse(row.endedAt) - Date.parse(row.startedAt)) / 1000);
    await expect(tr.locator('td.duration')).toContainText(seconds < 60 ? `${seconds} s` : 'min');
    await expect(tr.locator('a.vert')).toHaveAttribute('href', row.vertCourseUrl);
    const bleu = await tr.locator('a.bleu').getAttribute('href');
    expect(bleu, row.course).toMatch(
      /^http:\/\/127\.0\.0\.1:8081\/course\/(view\.php\?id=\d+|search\.php\?search=)/,
    );
    // The evidence: the course's folder in this copy of the batch (not where the batch first ran).
    const evidence = fileOf(file, (await tr.locator('a.evidence').getAttribute('href')) ?? '');
    expect(statSync(evidence).isDirectory(), evidence).toBe(true);
    expect(path.basename(evidence)).toBe(path.basename(row.evidence));
    const thumbnail = tr.locator('td.shot img');
    expect(existsSync(fileOf(file, (await thumbnail.getAttribute('src')) ?? '')), row.course).toBe(true);
    await thumbnail.scrollIntoViewIfNeeded();
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
  }
  // A refused course shows the screen of the step that refused it, not bleu's shot taken meanwhile.
  await expect(page.locator('tr[data-line="5"] td.shot img')).toHaveAttribute(
    'src',
    /003-check-the-course-is-empty-after\.png$/,
  );

  // Counts, then each filter shows exactly its courses.
  const byCategory = (category: string) =>
    summary.filter((row) => categoryOf(row.status, row.courseEmptied) === category).map((row) => row.line);
  for (const [category, n] of [
    ['restored', 3],
    ['refused', 3],
    ['failed', 0],
    ['emptied', 0],
    ['already-restored', 0],
    ['claimed-elsewhere', 0],
  ] as const) {
    await expect(page.locator(`label.count.o-${category} .n`)).toHaveText(String(n));
    await page.locator(`label.count.o-${category}`).click();
    expect(await visibleLines(page), category).toEqual(byCategory(category));
    await expect(page.locator('#shown')).toHaveText(`${n} of ${summary.length} course(s) shown`);
  }
  await page.locator('label.count.o-all').click();
  expect(await visibleLines(page)).toEqual(summary.map((row) => row.line));

  // The refused as a list ready to run again, and its exact command.
  const rerunFile = fileOf(file, (await page.locator('#rerun-csv-link').getAttribute('href')) ?? '');
  expect(readFileSync(rerunFile, 'utf8')).toBe(await page.locator('#rerun-csv').textContent());
  expect(
    readFileSync(rerunFile, 'utf8')
      .split('\n')
      .slice(1, -1)
      .map((line) => line.split(',')[0]),
  ).toEqual(byCategory('refused').map((line) => summary.find((row) => row.line === line)?.course));
  const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as BatchPlan;
  await expect(page.locator('#rerun-command')).toHaveText(
    `cd ${plan.baseDir} && npx ecampus-restore batch ${rerunFile}`,
  );
  await expect(page.locator('#playwright-report')).toHaveAttribute('href', 'report/index.html');

  // A filter is kept in the address: the page opened on #refused shows the refused.
  await page.goto(`${pathToFileURL(file).href}#refused`);
  expect(await visibleLines(page)).toEqual(byCategory('refused'));
  await page.locator('label.count.o-all').click();

  expect(requests, 'nothing fetched from a server').toEqual([]);
  expect(errors).toEqual([]);
  await test.info().attach('run page', {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
});

test('the page follows REPORT_LANGUAGE: French', async ({ page }) => {
  const dir = copyOfDemoBatch();
  const file = await writeRunPage(dir, { ...SETTINGS, language: 'fr' });
  await page.goto(pathToFileURL(file).href);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('label.count.o-refused .what')).toHaveText('Refusés');
  await expect(page.locator('tr[data-line="5"] td.outcome')).toHaveText('Refusé');
  await expect(page.locator('tr[data-line="5"] td.lost')).toHaveText('personne');
  await expect(page.locator('#shown')).toHaveText('6 cours affiché(s) sur 6');
});

const OUTCOMES = ['restored', 'refused', 'failed', 'emptied', 'already-restored', 'claimed-elsewhere'];

/** The demo batch made 500 courses long, every outcome in it, with names a page or a spreadsheet could run. */
function bigBatch(courses: number): string {
  const dir = copyOfDemoBatch();
  const demo = readSummary(dir);
  const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as BatchPlan;
  const rows: (SummaryRow & { lostAccess?: unknown })[] = [];
  for (let i = 0; i < courses; i++) {
    const source = demo[i % demo.length] as SummaryRow;
    const outcome = OUTCOMES[i % OUTCOMES.length] ?? 'restored';
    const line = i + 2;
    const course =
      i === 7 ? '<img src=x onerror="window.injected=1">' : i === 13 ? '=HYPERLINK("x")' : `C-${line}`;
    const row: SummaryRow & { lostAccess?: unknown } = {
      ...source,
      line,
      course,
      status: (outcome === 'emptied' ? 'failed' : outcome) as SummaryRow['status'],
      courseEmptied: outcome === 'emptied',
      step: outcome === 'restored' ? '' : 'perform the restore',
      reason: outcome === 'restored' ? '' : `<script>window.injected=2</script> reason ${line}`,
      supportMessage: '',
    };
    if (outcome === 'failed' || outcome === 'emptied') {
      const message = path.join(dir, 'support', `line-${line}.txt`);
      mkdirSync(path.dirname(message), { recursive: true });
      writeFileSync(message, `Course restore failed: ${course}\n\nBonjour,\nline ${line} & "quotes"\n`);
      row.supportMessage = message;
    }
    if (outcome === 'restored' && i % 4 === 0)
      row.lostAccess = [{ fullname: 'Emma <b>Moreau</b>', role: 'Student', method: 'Manual enrolments' }];
    rows.push(row);
  }
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(rows));
  writeFileSync(
    path.join(dir, 'plan.json'),
    JSON.stringify({
      ...plan,
      courses: rows.map((row) => ({ line: row.line, target: { kind: 'shortname', shortname: row.course } })),
    }),
  );
  return dir;
}

/** How many rows of each outcome the page displays. */
function shownOutcomes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const shown: Record<string, number> = {};
    for (const row of Array.from(document.querySelectorAll<HTMLElement>('#courses tr.row')))
      if (row.offsetParent !== null) {
        const outcome = row.dataset['outcome'] ?? '';
        shown[outcome] = (shown[outcome] ?? 0) + 1;
      }
    return shown;
  });
}

test('a 500-course batch: every row, every filter, failures with their support message, nothing injected', async ({
  page,
}) => {
  // No speed goal here (BENCHMARKS.md's business): room for a loaded machine, and the figures in the log.
  test.setTimeout(180_000);
  const dir = bigBatch(500);
  const generated = performance.now();
  const file = await writeRunPage(dir, { ...SETTINGS, language: 'en' });
  const generateMs = performance.now() - generated;
  const opened = performance.now();
  await page.goto(pathToFileURL(file).href);
  await expect(page.locator('#courses tr.row')).toHaveCount(500);
  const openMs = performance.now() - opened;
  const filtered = performance.now();
  for (const outcome of OUTCOMES) {
    const expected = Math.ceil((500 - OUTCOMES.indexOf(outcome)) / OUTCOMES.length);
    await expect(page.locator(`label.count.o-${outcome} .n`)).toHaveText(String(expected));
    await page.locator(`label.count.o-${outcome}`).click();
    expect(await shownOutcomes(page), outcome).toEqual({ [outcome]: expected });
  }
  const filterMs = performance.now() - filtered;
  const domReadyMs = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  );
  const figures = `500 courses: page generated in ${generateMs.toFixed(0)} ms (${(statSync(file).size / 1024).toFixed(0)} KiB); in Chromium, parsed and laid out (DOMContentLoaded) in ${domReadyMs.toFixed(0)} ms, opened as the test sees it in ${openMs.toFixed(0)} ms, six filters clicked and checked in ${filterMs.toFixed(0)} ms`;
  console.log(figures);
  await test.info().attach('render figures', { body: figures, contentType: 'text/plain' });

  // Names and reasons from Moodle are text, never markup or script.
  expect(await page.evaluate(() => (window as { injected?: number }).injected)).toBeUndefined();
  await page.locator('label.count.o-all').click();
  await expect(page.locator('tr[data-line="9"] td.course')).toHaveText(
    '<img src=x onerror="window.injected=1">',
  );
  await expect(page.locator('tr[data-line="2"] td.lost')).toHaveText(
    'Emma <b>Moreau</b> (Student, Manual enrolments)',
  );

  // A failure's support message, ready to copy, and a mail to the support address with it.
  const failed = page.locator('tr[data-line="4"]');
  await failed.locator('details.support summary').click();
  await expect(failed.locator('details.support pre')).toHaveText(
    'Course restore failed: C-4\n\nBonjour,\nline 4 & "quotes"',
  );
  const mailto = new URL((await failed.locator('a.mailto').getAttribute('href')) ?? '');
  expect(mailto.protocol + mailto.pathname).toBe('mailto:cemu.assistance%40unicaen.fr');
  expect(mailto.searchParams.get('subject')).toBe('Course restore failed: C-4');
  expect(mailto.searchParams.get('body')).toBe('Bonjour,\nline 4 & "quotes"');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await failed.locator('button[data-copy]').click();
  await expect(failed.locator('button[data-copy]')).toHaveText('Copied');
  // The emptied ones are flagged at the top and left out of the rerun list.
  await expect(page.locator('.banner.emptied')).toContainText('83 course(s) EMPTIED');
  const rerun = readFileSync(path.join(dir, 'rerun.csv'), 'utf8').trim().split('\n');
  expect(rerun).toHaveLength(1 + 84 + 83);
  expect(rerun).toContain(
    `"'=HYPERLINK(""x"")",,refused (perform the restore): <script>window.injected=2</script> reason 15`,
  );
});
