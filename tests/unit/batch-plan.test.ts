import { expect, test } from '@playwright/test';
import { PLAN_VARIABLE, readPlan, writePlan, type BatchPlan } from '../../batch/plan.js';
import { withSmallYoungGeneration } from '../../batch/run-batch.js';
import { scratchDir } from '../helpers/scratch-dir.js';

function planIn(runDir: string, runner: BatchPlan['runner']): BatchPlan {
  return {
    runId: 'batch-x',
    runDir,
    baseDir: runDir,
    courseList: `${runDir}/courses.csv`,
    vertUrl: 'http://127.0.0.1:8082',
    courses: [{ line: 2, target: { kind: 'id', id: 12 } }],
    options: { dryRun: true, force: false, allowEnrolmentLoss: false, allowStale: false },
    runner,
  };
}

test('the workers and retries travel in plan.json and are read back', async () => {
  const runDir = scratchDir('plan');
  process.env[PLAN_VARIABLE] = await writePlan(planIn(runDir, { workers: 3, retries: 0 }));
  expect(readPlan().runner).toEqual({ workers: 3, retries: 0 });
});

test('a plan whose workers or retries are not whole numbers in bounds is refused when read', async () => {
  const runDir = scratchDir('plan');
  const broken: BatchPlan['runner'] = { workers: 0, retries: 1.5 };
  process.env[PLAN_VARIABLE] = await writePlan(planIn(runDir, broken));
  expect(() => readPlan()).toThrow(
    /runner\.workers must be a whole number from 1 to 32, got 0; runner\.retries must be a whole number from 0 to 5, got 1\.5/,
  );
});

test("Playwright's runner and workers get a small young generation; an admin's own NODE_OPTIONS stay, their own size wins", () => {
  expect(withSmallYoungGeneration(undefined)).toBe('--max-semi-space-size=2');
  expect(withSmallYoungGeneration('--enable-source-maps')).toBe(
    '--enable-source-maps --max-semi-space-size=2',
  );
  expect(withSmallYoungGeneration('--max-semi-space-size=8')).toBe('--max-semi-space-size=8');
});
