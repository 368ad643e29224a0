/**
 * Run by `tsx` (as the bench and the harness's scripts run the robot), not by Playwright's test
 * transform: the code the robot sends into the page must survive tsx's transform too, which wraps
 * named closures in a `__name()` helper that exists only in Node. Prints what the page did, as JSON.
 */
import { chromium } from 'playwright';
import { CHROMIUM_FLAGS } from '../../../session/browser.js';
import { prepareForShot, undoShotPreparation } from '../../../evidence/shot-preparation.js';
import { RestoreProcessPage } from '../../../pages/restore-process-page.js';
import { knownSite } from '../../../pages/moodle-site.js';

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [...CHROMIUM_FLAGS],
});
try {
  const page = await browser.newPage();
  // Moodle's AMD loader answering core/ajax: the third progress call says the restore is done.
  await page.setContent(`<!doctype html><html><body><input type="password" id="secret">
    <script>
      window.progressCalls = 0;
      window.require = (deps, done) => done({
        call: () => [Promise.resolve([{ status: ++window.progressCalls >= 3 ? 1000 : 800, progress: 0.5 }])],
      });
    </script></body></html>`);
  await page.focus('#secret');
  const prepared = await prepareForShot(page, { watchAs: 'tsx' });
  const blurred = await page.evaluate(() => document.activeElement?.id !== 'secret');
  await undoShotPreparation(page);
  const refocused = await page.evaluate(() => document.activeElement?.id === 'secret');
  // Watching for changes after a shot, on a page without a secret field.
  await page.evaluate(() => document.getElementById('secret')?.remove());
  await prepareForShot(page, { watchAs: 'first' });
  const unchangedReused = (await prepareForShot(page, { since: 'first', watchAs: 'second' }))?.unchanged;
  await page.evaluate(() => {
    document.body.append('changed');
  });
  const changedReused = (await prepareForShot(page, { since: 'first', watchAs: 'third' }))?.unchanged;
  const waitStarted = Date.now();
  const restore = await new RestoreProcessPage(
    knownSite(page, 'https://vert.example.org', '4.5'),
  ).waitForAsyncEnd('backup-id', 1, {
    timeoutMs: 10_000,
    pollMs: 100,
  });
  const waitedMs = Date.now() - waitStarted;
  const progressCalls = await page.evaluate(
    () => (window as unknown as { progressCalls: number }).progressCalls,
  );
  console.log(
    JSON.stringify({
      prepared: prepared !== undefined,
      unchangedReused,
      changedReused,
      blurred,
      refocused,
      restore,
      progressCalls,
      waitedMs,
    }),
  );
} finally {
  await browser.close();
}
