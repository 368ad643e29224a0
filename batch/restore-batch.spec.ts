import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { ROBOT_CONTEXT } from '../session/browser.js';
import { loadConfig, loadSettings, type Config } from '../config/env.js';
import { connectToSharedBrowser, lostWithTheBrowser } from './shared-browser.js';
import type { Manifest } from '../evidence/recorder.js';
import type { Ledger } from '../ledger/ledger.js';
import { oneLine } from '../rules/outcome-text.js';
import {
  logInToBothSites,
  notStartedCourse,
  restoreOrder,
  type CourseResult,
  type SitePages,
} from '../session/restore-session.js';
import { openLedger } from '../ledger/open-ledger.js';
import { describeError, operatorLine } from '../rules/operator-errors.js';
import { failedOutcome } from '../rules/outcomes.js';
import { stackLine } from '../evidence/stack-line.js';
import { errorContext, recordRunStop } from '../session/run-start.js';
import { readRunStop, writeRunStop } from './run-stop.js';
import { courseLabel, outcomeFile, readPlan, testTitle, type BatchPlan } from './plan.js';
import { stoppedBySessionLoss } from '../rules/session-loss.js';
import type { AttemptRecord } from './attempt-record.js';

interface Batch {
  plan: BatchPlan;
  config: Config;
  ledger: Ledger;
}

const plan = readPlan();
/** The course at which this worker's session was lost: its later courses are not started. */
let sessionLostAt: string | undefined;

/** The shared browser died while this worker logged in: its courses fail untouched and are retried. */
const BROWSER_GONE = 'the shared browser died';

const test = base.extend<object, { batch: Batch; sites: SitePages | typeof BROWSER_GONE | undefined }>({
  // The batch's one browser (batch/shared-browser.ts), not one launched per worker.
  browser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const settings = loadSettings({ baseDir: plan.baseDir });
      const browser = await connectToSharedBrowser(plan.runDir, settings.timeouts.stepMs);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  batch: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const config = loadConfig({ baseDir: plan.baseDir });
      const ledger = await openLedger(config);
      await use({ plan, config: { ...config, evidenceDir: path.join(plan.runDir, 'courses') }, ledger });
      await ledger.close();
    },
    { scope: 'worker' },
  ],
  // One login per worker, kept for all its courses (a failed course restarts the worker, which logs in again).
  // A login that fails concerns every course: the run stops, said once (batch/run-stop.ts).
  sites: [
    async ({ browser, batch }, use) => {
      if (readRunStop(plan.runDir)) {
        await use(undefined);
        return;
      }
      const { credentials } = batch.config;
      const context = await browser.newContext({
        ...ROBOT_CONTEXT,
        ...(credentials.kind === 'storage-state' && { storageState: credentials.storageStatePath }),
      });
      const pages = await logInToBothSites(context, batch.config).catch(async (error: unknown) => {
        // A browser that died is no login problem: the batch starts it again and retries the courses.
        if (lostWithTheBrowser(error, browser)) return BROWSER_GONE;
        await writeRunStop(plan.runDir, await recordRunStop(error, batch.config, 'log in', context));
        return undefined;
      });
      await use(pages);
      await context.close();
    },
    { scope: 'worker' },
  ],
});

for (const request of plan.courses) {
  test(testTitle(request), async ({ batch, sites }, testInfo) => {
    const file = outcomeFile(plan.runDir, request);
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AttemptRecord) : undefined;
    // Retries are for failures before Perform only: past it, the course may already be emptied.
    if (previous?.result.outcome.status === 'failed' && previous.result.outcome.courseEmptied) {
      throw new Error(`not retried: ${previous.line_text}`);
    }

    const stopped = readRunStop(plan.runDir);
    if (sites === undefined || stopped) {
      testInfo.skip(
        true,
        `not run, the batch stopped: ${stopped ? operatorLine(stopped.problem) : 'no login'}`,
      );
      return;
    }

    const startedAt = new Date().toISOString();
    const label = courseLabel(request);
    // The shared browser died under this worker: its session went with it. The course fails untouched,
    // and its retry runs in a new worker, connected to the browser started again.
    const browserGone = sites === BROWSER_GONE || !sites.vert.context().browser()?.isConnected();
    const attempt: Promise<CourseResult> = browserGone
      ? Promise.resolve({
          course: label,
          outcome: failedOutcome(
            request.target.kind === 'id' ? request.target.id : 0,
            'open the course',
            'not started: the shared browser died and was started again; nothing changed on the course (retried)',
            false,
          ),
          evidenceDir: batch.config.evidenceDir,
          evidenceChain: 'none (the course was not started)',
        })
      : sessionLostAt === undefined
        ? restoreOrder(
            batch.config,
            {
              target: request.target,
              label,
              ...(request.bleuShortname !== undefined && { bleuShortname: request.bleuShortname }),
            },
            { pages: sites, ledger: batch.ledger, runId: plan.runId },
            // Each robot step a boxed step: the report reads as the procedure, Playwright's actions inside it.
            { ...plan.options, stepHook: (name, action) => test.step(name, action, { box: true }) },
          )
        : notStartedCourse(
            batch.config.evidenceDir,
            { label, target: request.target },
            { ledger: batch.ledger, runId: plan.runId },
            sessionLostAt,
          );
    // The session's own steps say a course's problems as its outcome; whatever escapes them all the same
    // ends as the course's one failed line too, never as a raw error: its stack goes to the run's log.
    const result = await attempt.catch(async (error: unknown): Promise<CourseResult> => {
      await appendFile(path.join(plan.runDir, 'run.log'), stackLine(error, `course ${label}`), {
        mode: 0o600,
      }).catch(() => undefined);
      const reason = describeError(error, errorContext(batch.config));
      const courseId = request.target.kind === 'id' ? request.target.id : 0;
      return {
        course: label,
        outcome: failedOutcome(
          courseId,
          'finish the course',
          `${reason} (stack in ${plan.runDir}/run.log)`,
          false,
        ),
        evidenceDir: batch.config.evidenceDir,
        evidenceChain: 'none (the course did not end normally)',
      };
    });
    if (sessionLostAt === undefined && stoppedBySessionLoss(result.outcome))
      sessionLostAt = `course ${label}`;
    const record: AttemptRecord = {
      line: request.line,
      course: label,
      attempt: testInfo.retry,
      worker: testInfo.parallelIndex,
      startedAt,
      endedAt: new Date().toISOString(),
      result,
      line_text: oneLine(label, result.outcome),
    };
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await test.step('attach the evidence', () => attachEvidence(testInfo, result), { box: true });

    const { outcome } = result;
    // A refusal is the robot doing its job, not a skipped test: the outcome is the test's first annotation.
    testInfo.annotations.unshift({ type: outcome.status, description: record.line_text });
    if (outcome.status === 'failed') throw new Error(record.line_text);
  });
}

/** The course's screenshots and support message, in the HTML report. */
async function attachEvidence(testInfo: import('@playwright/test').TestInfo, result: CourseResult) {
  const manifestFile = path.join(result.evidenceDir, 'manifest.json');
  if (!existsSync(manifestFile)) return;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  for (const shot of manifest.screenshots) {
    await testInfo.attach(`${String(shot.index).padStart(3, '0')} ${shot.step} (${shot.phase})`, {
      path: path.join(result.evidenceDir, shot.file),
      contentType: 'image/png',
    });
  }
  const support = path.join(result.evidenceDir, 'support-message.txt');
  if (existsSync(support))
    await testInfo.attach('support message', { path: support, contentType: 'text/plain' });
}
