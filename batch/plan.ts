import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CourseRequest } from './course-list.js';
import type { RestoreFlags } from '../domain/restore-flags.js';

/** Everything a batch's workers need besides the settings (read from .env / the environment). */
export interface BatchPlan {
  runId: string;
  /** The run's folder: plan, per-course evidence and outcomes, report, summaries. */
  runDir: string;
  /** Where .env and relative paths are resolved, as for the command that started the batch. */
  baseDir: string;
  courseList: string;
  vertUrl: string;
  courses: CourseRequest[];
  options: RestoreFlags;
  /** How Playwright Test runs the courses: parallel workers, and attempts after a failure before Perform. */
  runner: BatchRunner;
}

export interface BatchRunner {
  workers: number;
  retries: number;
}

/** The bounds the command line enforces; a plan edited or written by another version is held to them too. */
export const WORKER_BOUNDS = { min: 1, max: 32 } as const;
export const RETRY_BOUNDS = { min: 0, max: 5 } as const;

/** The variable that tells the batch's Playwright config and workers where the plan is. */
export const PLAN_VARIABLE = 'ECAMPUS_BATCH_PLAN';

export async function writePlan(plan: BatchPlan): Promise<string> {
  const file = path.join(plan.runDir, 'plan.json');
  await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function readPlan(): BatchPlan {
  const file = process.env[PLAN_VARIABLE];
  if (file === undefined || file === '')
    throw new Error(`${PLAN_VARIABLE} is not set: start a batch with "ecampus-restore batch <courses.csv>"`);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as BatchPlan;
  checkRunner(plan.runner, file);
  return plan;
}

function checkRunner(runner: Partial<BatchRunner> | undefined, file: string): void {
  const problems = [
    outOfBounds('workers', runner?.workers, WORKER_BOUNDS),
    outOfBounds('retries', runner?.retries, RETRY_BOUNDS),
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
}

function outOfBounds(name: string, value: unknown, bounds: { min: number; max: number }): string | undefined {
  return Number.isInteger(value) && (value as number) >= bounds.min && (value as number) <= bounds.max
    ? undefined
    : `runner.${name} must be a whole number from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(value)}`;
}

export function courseLabel(request: CourseRequest): string {
  return request.target.kind === 'id' ? String(request.target.id) : request.target.shortname;
}

/** One test per course; the title is what the report and the progress lines show. */
export function testTitle(request: CourseRequest): string {
  return `${courseLabel(request)} (line ${request.line})`;
}

/** Where a course's attempt writes its outcome, for the reporter and for the next attempt. */
export function outcomeFile(runDir: string, request: CourseRequest): string {
  return path.join(runDir, 'outcomes', `line-${request.line}.json`);
}
