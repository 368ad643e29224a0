import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const SCRIPT = path.join(import.meta.dirname, 'helpers', 'in-page-code-under-tsx.ts');

test('the code the robot runs inside pages works when the robot runs under tsx (bench, harness scripts)', () => {
  test.setTimeout(60_000);
  const run = spawnSync('npx', ['tsx', SCRIPT], { encoding: 'utf8', timeout: 50_000 });
  expect(run.status, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  // A focused secret field is blurred for the shot, then focused again.
  expect(result).toMatchObject({ prepared: true, blurred: true, refocused: true });
  // A page watched since its shot is reported unchanged until it changes.
  expect(result).toMatchObject({ unchangedReused: true, changedReused: false });
  // The asynchronous wait's in-page poller asked until Moodle said "done" (the third answer), every
  // 100 ms and no faster: it may ask once more before the wait reads the answer, never back to back.
  expect(result).toMatchObject({ restore: { state: 'done', progress: 0.5 } });
  const { progressCalls, waitedMs } = result as { progressCalls: number; waitedMs: number };
  expect(progressCalls).toBeGreaterThanOrEqual(3);
  expect(progressCalls).toBeLessThanOrEqual(Math.ceil(waitedMs / 100) + 2);
});
