/**
 * What one Chromium costs with four courses' pages open at once, by set of Chromium flags: four
 * contexts (a batch's four workers), each logged in to vert and bleu and holding what a course's restore
 * holds at its peak (vert's course page, the restore page in a second window, bleu's course page).
 * Prints the Chromium tree's memory (PSS) by kind of process, and the CPU it took to get there; then
 * what an idle Moodle page with a progress bar costs, with and without reduced motion.
 *
 *   MOODLE_VERSION=5.0 npx tsx bench/chromium-memory.ts [--variants 'robot,robot + GPU in process']
 */
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from 'playwright';
import { status, up } from '../harness/harness.js';
import type { MoodleVersion } from '../harness/paths.js';
import {
  clockTicksPerSecond,
  commandLine,
  cpuTicks,
  descendants,
  memoryOf,
} from '../harness/process-tree.js';
import { LoginPage } from '../pages/login-page.js';
import { waitForMoodleReady } from '../pages/moodle-page.js';
import { CHROMIUM_FLAGS, ROBOT_VIEWPORT } from '../session/browser.js';

const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;

const WITHOUT_FEATURE_SWITCHES = CHROMIUM_FLAGS.filter((flag) => !/^--(dis|en)able-features=/.test(flag));

/** Each variant's whole set of flags (Playwright adds its own before them). */
const VARIANTS: Record<string, readonly string[]> = {
  "before (Playwright's feature switches only)": WITHOUT_FEATURE_SWITCHES,
  robot: CHROMIUM_FLAGS,
  'robot + GPU in process': [...CHROMIUM_FLAGS, '--in-process-gpu'],
  'robot + low-end device mode': [...CHROMIUM_FLAGS, '--enable-low-end-device-mode'],
  'robot + V8 optimized for size': [...CHROMIUM_FLAGS, '--js-flags=--optimize-for-size'],
  'robot + small V8 young generation': [...CHROMIUM_FLAGS, '--js-flags=--max-semi-space-size=1'],
};

const { values } = parseArgs({
  options: { variants: { type: 'string', default: Object.keys(VARIANTS).join(',') } },
});

await up(version);
const harness = status(version);
const teacher = harness.accounts.find((account) => account.username === harness.teacher);
if (!teacher) throw new Error('no teacher account in the harness status');
const vert = harness.sites.vert;
const bleu = harness.sites.bleu;
const courses = ['ANG-EC1', 'HIST-GRP', 'ANG-EC1', 'HIST-GRP'];
/** How long the idle page is watched (its CPU is what matters, not a wait for the page). */
const IDLE_MS = 10_000;

function cpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuTicks(pid) ?? 0), 0) / clockTicksPerSecond();
}

/** This bench's Chromium processes (not tsx's esbuild). */
function chromiumProcesses(): number[] {
  return descendants(process.pid).filter((pid) => commandLine(pid).includes('chrom'));
}

async function holdACourse(context: BrowserContext, shortname: string): Promise<void> {
  const page = await context.newPage();
  for (const site of [vert, bleu]) {
    const login = new LoginPage({ page, url: site.url });
    await login.goto();
    await login.submitCredentials(teacher?.username ?? '', teacher?.password ?? '');
  }
  await page.goto(`${vert.url}/course/view.php?id=${vert.courses[shortname] ?? 0}`);
  await waitForMoodleReady(page);
  const restore = await context.newPage();
  await restore.goto(`${vert.url}/backup/restorefile.php?contextid=1`);
  await waitForMoodleReady(restore);
  const bleuPage = await context.newPage();
  await bleuPage.goto(`${bleu.url}/course/view.php?id=${bleu.courses[shortname] ?? 0}`);
  await waitForMoodleReady(bleuPage);
}

const names = values.variants.split(',');
console.log(
  `Moodle ${harness.release}; four contexts, each: vert's course, vert's restore page, bleu's course`,
);
for (const name of names) {
  const args = VARIANTS[name];
  if (args === undefined) throw new Error(`no variant "${name}": ${Object.keys(VARIANTS).join(', ')}`);
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...args],
  });
  try {
    const contexts = await Promise.all(courses.map(() => browser.newContext({ viewport: ROBOT_VIEWPORT })));
    await Promise.all(contexts.map((context, index) => holdACourse(context, courses[index] ?? '')));
    const tree = chromiumProcesses();
    const { totalMiB, byKindMiB } = memoryOf(tree);
    const kinds = Object.entries(byKindMiB)
      .filter(([, mib]) => mib > 0)
      .map(([kind, mib]) => `${kind.replace('chromium: ', '')} ${mib}`)
      .join(', ');
    console.log(
      `${name.padEnd(44)} ${String(totalMiB).padStart(5)} MiB  (${kinds}); CPU ${cpuSeconds(tree).toFixed(1)} s`,
    );
  } finally {
    await browser.close();
  }
}

// What a page left waiting costs: a Moodle page holding Bootstrap's striped progress bar and a spinner
// (as the restore's progress page does), 10 s idle, with and without the reduced motion the robot asks for.
for (const reducedMotion of ['no-preference', 'reduce'] as const) {
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS],
  });
  try {
    const page = await browser.newPage({ viewport: ROBOT_VIEWPORT, reducedMotion });
    const login = new LoginPage({ page, url: vert.url });
    await login.goto();
    await login.submitCredentials(teacher.username, teacher.password);
    await page.goto(`${vert.url}/my/courses.php`);
    await waitForMoodleReady(page);
    await page.evaluate(() => {
      document.body.insertAdjacentHTML(
        'afterbegin',
        '<div class="progress"><div class="progress-bar progress-bar-striped progress-bar-animated" style="width: 50%"></div></div><div class="spinner-border"></div>',
      );
    });
    const before = cpuSeconds(chromiumProcesses());
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    console.log(
      `idle Moodle page with a progress bar, reduced motion ${reducedMotion}: Chromium ${(cpuSeconds(chromiumProcesses()) - before).toFixed(2)} CPU-s in ${IDLE_MS / 1000} s`,
    );
  } finally {
    await browser.close();
  }
}
