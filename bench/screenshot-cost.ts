/**
 * What one evidence screenshot costs, by capture mode, on real Moodle pages of the harness (vert's
 * participants page, an empty course, the trap course with content, and bleu's 300-activity course).
 * Each mode is timed several times per page; prints the median per page and mode.
 *
 *   npx tsx bench/screenshot-cost.ts [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';
import { CHROMIUM_FLAGS, ROBOT_VIEWPORT } from '../session/browser.js';
import { captureWholePage } from '../evidence/capture.js';
import { SECRET_FIELDS } from '../evidence/shot-preparation.js';
import { status, up } from '../harness/harness.js';
import type { MoodleVersion } from '../harness/paths.js';
import { LoginPage } from '../pages/login-page.js';
import { waitForMoodleReady } from '../pages/moodle-page.js';

const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;

type Mode = { name: string; shoot: (page: Page) => Promise<Buffer> };

const MODES: Mode[] = [
  {
    name: "steady + Chromium's capture, fast PNG (the robot's)",
    shoot: async (page) => {
      // A new token each time: a shot is taken even of a page unchanged since the last.
      const capture = await captureWholePage(page, { watchAs: String(performance.now()) });
      if (capture.unchanged) throw new Error('a shot without a token to compare was skipped');
      return capture.image;
    },
  },
  {
    name: "Playwright full page PNG, animations off (the robot's until 30 November)",
    shoot: (page) =>
      page.screenshot({
        fullPage: true,
        animations: 'disabled',
        caret: 'hide',
        mask: [page.locator(SECRET_FIELDS)],
      }),
  },
  {
    name: 'Playwright full page JPEG 80',
    shoot: (page) =>
      page.screenshot({ fullPage: true, type: 'jpeg', quality: 80, mask: [page.locator(SECRET_FIELDS)] }),
  },
  {
    name: 'Playwright viewport PNG',
    shoot: (page) => page.screenshot({ mask: [page.locator(SECRET_FIELDS)] }),
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
await up(version);
const harness = status(version);
const teacher = harness.accounts.find((account) => account.username === harness.teacher);
if (!teacher) throw new Error('no teacher account in the harness status');

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [...CHROMIUM_FLAGS],
});
try {
  // The robot's window: pages that fit in it are photographed without being laid out again.
  const page = await browser.newPage({ viewport: ROBOT_VIEWPORT });
  const pages: Record<string, string> = {};
  for (const site of ['vert', 'bleu'] as const) {
    const login = new LoginPage({ page, url: harness.sites[site].url });
    await login.goto();
    await login.submitCredentials(teacher.username, teacher.password);
  }
  const vert = harness.sites.vert;
  pages['vert participants'] = `${vert.url}/user/index.php?id=${vert.courses['ANG-EC1'] ?? 0}`;
  pages['vert empty course'] = `${vert.url}/course/view.php?id=${vert.courses['ANG-EC1'] ?? 0}`;
  pages['vert TRAP-FULL'] = `${vert.url}/course/view.php?id=${vert.courses['TRAP-FULL'] ?? 0}`;
  pages['bleu BIO-LARGE (300 activities)'] =
    `${harness.sites.bleu.url}/course/view.php?id=${harness.sites.bleu.courses['BIO-LARGE'] ?? 0}`;

  console.log(`page | ${MODES.map((mode) => mode.name).join(' | ')}  (median ms of ${rounds}; size KiB)`);
  for (const [label, url] of Object.entries(pages)) {
    await page.goto(url);
    await waitForMoodleReady(page);
    const cells: string[] = [];
    for (const mode of MODES) {
      const times: number[] = [];
      let size = 0;
      for (let round = 0; round < rounds; round++) {
        const started = performance.now();
        size = (await mode.shoot(page)).length;
        times.push(performance.now() - started);
      }
      cells.push(`${Math.round(median(times))} ms, ${Math.round(size / 1024)} KiB`);
    }
    console.log(`${label} | ${cells.join(' | ')}`);
  }
} finally {
  await browser.close();
}
