import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig } from '../config/env.js';
import { CourseListError, readCourseList } from './course-list.js';
import { sameCourseTwice } from './same-course-twice.js';
import { PLAN_VARIABLE, writePlan, type BatchPlan } from './plan.js';
import type { SummaryRow } from './summary.js';
import { openRunLedger, startRun } from '../session/run-start.js';
import { vertCourseIdOf } from '../session/restore-session.js';
import { RunStopped } from '../rules/operator-errors.js';
import { newRunId } from '../rules/run-id.js';
import { describeOtherBatches, markBatch, readRunStop } from './run-stop.js';

export interface BatchRequest {
  courseList: string;
  workers: number;
  /** `i/n`: this machine's share of the list (Playwright's --shard). */
  shard?: string;
  /** Attempts after a failure before Perform (never after it). */
  retries: number;
  options: BatchPlan['options'];
  /** Where .env and relative paths are read from; the current folder by default. */
  baseDir?: string;
}

export interface BatchResult {
  runDir: string;
  rows: SummaryRow[];
  /** 0: every course done; 1: some refused, failed or not run; 2: the batch could not start. */
  exitCode: number;
}

/**
 * Checks the settings and the whole course list (nothing runs if either is wrong), writes the plan,
 * then runs the batch through Playwright Test's runner and reads its summary.
 */
export async function runBatch(request: BatchRequest): Promise<BatchResult> {
  const baseDir = request.baseDir ?? process.cwd();
  const config = loadConfig({ baseDir });
  const courses = await readCourseList(request.courseList);
  if (request.shard !== undefined && !/^[1-9]\d*\/[1-9]\d*$/.test(request.shard))
    throw new Error(`--shard must look like 1/3, got "${request.shard}"`);

  const runId = newRunId('batch');
  const runDir = path.join(config.evidenceDir, runId);
  await mkdir(config.evidenceDir, { recursive: true, mode: 0o700 });
  // Not recursive: a folder that exists already belongs to another run, never shared (EEXIST).
  await mkdir(runDir, { mode: 0o700 });
  // What concerns the whole run (the login to both sites, vert's release, the ledger) is checked once,
  // here, before any course: a problem there stops the batch with one line instead of failing each course.
  const runConfig = { ...config, evidenceDir: runDir };
  await (await openRunLedger(runConfig)).close().catch(() => undefined);
  const started = await startRun(runConfig);
  try {
    const twice = await sameCourseTwice(courses, (shortname) =>
      vertCourseIdOf(started.pages.vert, config.vertUrl, shortname),
    );
    if (twice.length > 0) throw new CourseListError(request.courseList, twice);
  } finally {
    await started.browser.close();
  }
  const marker = await markBatch(config.ledgerPath, courses, {
    runId,
    courseList: path.resolve(request.courseList),
  });
  if (marker.others.length > 0) process.stdout.write(`${describeOtherBatches(marker.others)}\n`);
  const planFile = await writePlan({
    runId,
    runDir,
    baseDir,
    courseList: path.resolve(request.courseList),
    vertUrl: config.vertUrl,
    courses,
    options: request.options,
    runner: { workers: request.workers, retries: request.retries },
  });

  const here = import.meta.dirname;
  const configFile = path.join(here, `batch.config${path.extname(import.meta.filename)}`);
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [cli, 'test', '--config', configFile, ...(request.shard ? ['--shard', request.shard] : [])];
  // Everything the batch writes (report, test output, evidence) is its owner's only; children inherit it.
  const previousUmask = process.umask(0o077);
  const child = spawn(process.execPath, args, {
    cwd: baseDir,
    stdio: 'inherit',
    env: {
      ...process.env,
      [PLAN_VARIABLE]: planFile,
      NODE_OPTIONS: withSmallYoungGeneration(process.env['NODE_OPTIONS']),
    },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (status) => {
      resolve(status ?? 1);
    });
  });
  process.umask(previousUmask);
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
  await marker.release();
  const stopped = readRunStop(runDir);
  if (stopped) throw new RunStopped(stopped.problem, stopped.evidenceDir);

  const summaryFile = path.join(runDir, 'summary.json');
  if (!existsSync(summaryFile)) return { runDir, rows: [], exitCode: code === 0 ? 1 : code };
  const rows = JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryRow[];
  // A course another live run is restoring is that run's to report.
  const allDone = rows.every((row) =>
    ['restored', 'dry-run', 'already-restored', 'claimed-elsewhere'].includes(row.status),
  );
  return { runDir, rows, exitCode: allDone ? 0 : 1 };
}

/**
 * Playwright Test's runner and workers (they inherit NODE_OPTIONS) with V8's young generation held to
 * 2 MiB a half instead of up to 16: the screenshots pass through them as base64 text, and each
 * process grew its young generation to the most it may (bench/batch-throughput.ts, BENCHMARKS.md).
 */
export function withSmallYoungGeneration(nodeOptions: string | undefined): string {
  if (nodeOptions?.includes('--max-semi-space-size')) return nodeOptions;
  return [nodeOptions, `--max-semi-space-size=${YOUNG_GENERATION_HALF_MIB}`].filter(Boolean).join(' ');
}
const YOUNG_GENERATION_HALF_MIB = 2;
