import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CourseRequest } from './course-list.js';

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
  options: { dryRun: boolean; force: boolean; allowEnrolmentLoss: boolean; allowStale: boolean };
}

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
  return JSON.parse(readFileSync(file, 'utf8')) as BatchPlan;
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
