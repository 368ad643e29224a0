import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { ROBOT_VIEWPORT } from '../config/browser.js';
import { loadConfig, type Config } from '../config/env.js';
import { EvidenceRun, type Manifest } from '../evidence/recorder.js';
import type { Ledger } from '../robots/ledger.js';
import { oneLine } from '../robots/outcome-text.js';
import {
  logInToBothSites,
  restoreOrder,
  type CourseResult,
  type SitePages,
} from '../robots/restore-session.js';
import { notStartedAfterSessionLoss, stoppedBySessionLoss } from '../robots/session-expiry.js';
import { SqliteLedger } from '../robots/sqlite-ledger.js';
import { courseLabel, outcomeFile, readPlan, testTitle, type BatchPlan } from './plan.js';

/** What a course's attempt leaves for the reporter and for a retry. */
export interface AttemptRecord {
  line: number;
  course: string;
  attempt: number;
  worker: number;
  startedAt: string;
  endedAt: string;
  result: CourseResult;
  line_text: string;
}

interface Batch {
  plan: BatchPlan;
  config: Config;
  ledger: Ledger;
}

const plan = readPlan();
/** The course at which this worker's session was lost: its later courses are not started. */
let sessionLostAt: string | undefined;

const test = base.extend<object, { batch: Batch; sites: SitePages }>({
  batch: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const config = loadConfig({ baseDir: plan.baseDir });
      const ledger = new SqliteLedger(config.ledgerPath);
      await use({ plan, config: { ...config, evidenceDir: path.join(plan.runDir, 'courses') }, ledger });
      await ledger.close();
    },
    { scope: 'worker' },
  ],
  // One login per worker, kept for all its courses (a failed course restarts the worker, which logs in again).
  sites: [
    async ({ browser, batch }, use) => {
      const { credentials } = batch.config;
      const context = await browser.newContext({
        viewport: ROBOT_VIEWPORT,
        ...(credentials.kind === 'storage-state' && { storageState: credentials.storageStatePath }),
      });
      await use(await logInToBothSites(context, batch.config));
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

    const startedAt = new Date().toISOString();
    const label = courseLabel(request);
    const result: CourseResult =
      sessionLostAt === undefined
        ? await restoreOrder(
            batch.config,
            {
              target: request.target,
              label,
              ...(request.bleuShortname !== undefined && { bleuShortname: request.bleuShortname }),
            },
            { pages: sites, ledger: batch.ledger, runId: plan.runId },
            { ...plan.options, stepHook: (name, action) => test.step(name, action) },
          )
        : await notStarted(batch.config.evidenceDir, label, request.target, sessionLostAt);
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
    await attachEvidence(testInfo, result);

    const { outcome } = result;
    testInfo.annotations.push({ type: 'outcome', description: record.line_text });
    if (outcome.status === 'refused') testInfo.skip(true, `refused: ${outcome.reason}`);
    if (outcome.status === 'failed') throw new Error(record.line_text);
  });
}

/** A course of the batch left untouched because the session was lost at an earlier one. */
async function notStarted(
  evidenceDir: string,
  label: string,
  target: BatchPlan['courses'][number]['target'],
  lostAt: string,
): Promise<CourseResult> {
  const outcome = notStartedAfterSessionLoss(target.kind === 'id' ? target.id : 0, lostAt);
  const evidence = await EvidenceRun.create(evidenceDir, label);
  await evidence.attach('outcome', outcome);
  return { course: label, outcome, evidenceDir: evidence.dir };
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
