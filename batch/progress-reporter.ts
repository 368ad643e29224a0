import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FullResult, Reporter, Suite, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { loadSettings } from '../config/env.js';
import { outcomeFile, readPlan, testTitle, type BatchPlan } from './plan.js';
import type { AttemptRecord } from './attempt-record.js';
import { writeRunPage } from './run-page/write-run-page.js';
import { summaryRows, toCsv, type SummaryRow } from './summary.js';
import { operatorLine } from '../rules/operator-errors.js';
import { readRunStop } from './run-stop.js';

const HEARTBEAT_MS = 30_000;

/**
 * The batch's console: a line per course as it ends (with the counts so far), each worker's current
 * step as it changes, a heartbeat when nothing moves; at the end, summary.json and summary.csv.
 */
export default class ProgressReporter implements Reporter {
  private readonly plan: BatchPlan = readPlan();
  private tests: TestCase[] = [];
  private readonly ended = new Map<string, { status: string }>();
  private readonly running = new Map<number, { course: string; step: string; since: number }>();
  private heartbeat: NodeJS.Timeout | undefined;
  private lastLine = Date.now();
  private readonly started = Date.now();
  private stopSaid = false;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.tests = suite.allTests();
    this.say(
      `batch ${this.plan.runId}: ${this.tests.length} course(s) from ${this.plan.courseList}${this.plan.options.dryRun ? ' (dry run: Perform is never pressed)' : ''}`,
    );
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastLine >= HEARTBEAT_MS) this.say(`  still working: ${this.workers()}`);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onTestBegin(test: TestCase, result: TestResult): void {
    this.running.set(result.parallelIndex, { course: test.title, step: 'log in', since: Date.now() });
  }

  onStepBegin(test: TestCase, result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step') return;
    this.running.set(result.parallelIndex, { course: test.title, step: step.title, since: Date.now() });
    this.say(`  [worker ${result.parallelIndex}] ${test.title} › ${step.title}`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.running.delete(result.parallelIndex);
    const record = this.attemptOf(test);
    const stopped = readRunStop(this.plan.runDir);
    if (!record && stopped) {
      this.ended.set(test.id, { status: 'not run' });
      if (!this.stopSaid)
        this.say(`batch stopped, no further course is run: ${operatorLine(stopped.problem)}`);
      this.stopSaid = true;
      return;
    }
    const willRetry =
      result.status === 'failed' && test.outcome() === 'unexpected' && result.retry < test.retries;
    const status = record?.result.outcome.status ?? (result.status === 'timedOut' ? 'failed' : result.status);
    const text =
      record?.line_text ??
      `${test.title}: ${result.status} (${result.error?.message?.split('\n')[0] ?? 'no outcome recorded'})`;
    if (willRetry && !(record?.result.outcome.status === 'failed' && record.result.outcome.courseEmptied)) {
      this.say(`${text} — will retry (nothing was deleted)`);
      return;
    }
    this.ended.set(test.id, { status });
    this.say(`${text}  [${Math.round(result.duration / 1000)} s] ${this.counts()}`);
  }

  async onEnd(result: FullResult): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    const rows = summaryRows(
      this.plan,
      this.tests.map((test) => ({ title: test.title, record: this.attemptOf(test) })),
    );
    await writeFile(path.join(this.plan.runDir, 'summary.json'), `${JSON.stringify(rows, null, 2)}\n`, {
      mode: 0o600,
    });
    await writeFile(path.join(this.plan.runDir, 'summary.csv'), toCsv(rows), { mode: 0o600 });
    const minutes = (Date.now() - this.started) / 60_000;
    const done = rows.filter((row) => row.status === 'restored').length;
    this.say(
      `batch ${result.status === 'interrupted' ? 'interrupted' : 'over'} in ${minutes.toFixed(1)} min: ${countsOf(rows)}; ${done > 0 ? `${(done / minutes).toFixed(2)} courses restored per minute` : 'nothing restored'}`,
    );
    for (const row of rows.filter((r) => r.status === 'failed' && r.courseEmptied))
      this.say(
        `  !! ${row.course}: COURSE EMPTIED, RESTORE NOT CONFIRMED: ${row.reason} (${row.vertCourseUrl})`,
      );
    this.say(`summary: ${path.join(this.plan.runDir, 'summary.csv')} and summary.json`);
    this.say(`report:  ${path.join(this.plan.runDir, 'report', 'index.html')} (Playwright's, every step)`);
    this.say(`page:    ${await this.writePage()}`);
  }

  /** The batch's own page; if it cannot be written, the summaries above still stand. */
  private async writePage(): Promise<string> {
    try {
      const settings = loadSettings({ baseDir: this.plan.baseDir });
      return await writeRunPage(this.plan.runDir, {
        bleuUrl: settings.bleuUrl,
        supportEmail: settings.supportEmail,
        language: settings.reportLanguage,
      });
    } catch (error) {
      return `not written: ${(error as Error).message}`;
    }
  }

  private attemptOf(test: TestCase): AttemptRecord | undefined {
    const request = this.plan.courses.find((course) => testTitle(course) === test.title);
    if (!request) return undefined;
    const file = outcomeFile(this.plan.runDir, request);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AttemptRecord) : undefined;
  }

  private counts(): string {
    const count = (wanted: (status: string) => boolean) =>
      [...this.ended.values()].filter((entry) => wanted(entry.status)).length;
    const done = count((s) => s === 'restored' || s === 'dry-run' || s === 'already-restored');
    return `done ${done}, failed ${count((s) => s === 'failed')}, refused ${count((s) => s === 'refused' || s === 'skipped')}, claimed elsewhere ${count((s) => s === 'claimed-elsewhere')}, remaining ${this.tests.length - this.ended.size}`;
  }

  private workers(): string {
    if (this.running.size === 0) return 'no course running';
    return [...this.running]
      .map(
        ([worker, at]) =>
          `[worker ${worker}] ${at.course} › ${at.step} (${Math.round((Date.now() - at.since) / 1000)} s)`,
      )
      .join('; ');
  }

  private say(line: string): void {
    this.lastLine = Date.now();
    process.stdout.write(`${line}\n`);
  }
}

function countsOf(rows: readonly SummaryRow[]): string {
  const by = new Map<string, number>();
  for (const row of rows) by.set(row.status, (by.get(row.status) ?? 0) + 1);
  return [...by].map(([status, n]) => `${n} ${status.replace('-', ' ')}`).join(', ');
}
