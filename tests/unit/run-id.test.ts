import { expect, test } from '@playwright/test';
import { newRunId } from '../../rules/run-id.js';

test('a run id is readable and safe as a folder name: start time, process id, random suffix', () => {
  expect(newRunId('batch', new Date('2026-12-06T20:07:44.123Z'), 4242, 'a1b2c3d4')).toBe(
    'batch-2026-12-06T20-07-44-123Z-p4242-a1b2c3d4',
  );
  expect(newRunId('run')).toMatch(/^run-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-p\d+-[0-9a-f]{8}$/);
});

test('two batches started in the same millisecond get different run ids', () => {
  const now = new Date('2026-12-06T20:07:44.123Z');
  const ids = new Set(Array.from({ length: 50 }, () => newRunId('batch', now)));
  expect(ids.size).toBe(50);
  // Another process, same millisecond: the process id alone already differs.
  expect(newRunId('batch', now, 1, 'aaaaaa')).not.toBe(newRunId('batch', now, 2, 'aaaaaa'));
});
