import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { processStartTicks } from '../../harness/process-tree.js';
import { alive } from '../../harness/site.js';
import { scratchDir } from '../helpers/scratch-dir.js';

test('a pid file names its process by pid and start time: another process given the number since is not it', () => {
  const dir = scratchDir('pid-files');
  const file = path.join(dir, 'web.pid');
  const startTicks = processStartTicks(process.pid);
  expect(startTicks).toBeGreaterThan(0);

  writeFileSync(file, `${process.pid} ${startTicks ?? 0}`);
  expect(alive(file)).toBe(true);
  // The same number, a process started at another time: a stale file, not this process.
  writeFileSync(file, `${process.pid} ${(startTicks ?? 0) - 1}`);
  expect(alive(file)).toBe(false);
  // A file nginx writes holds its pid alone: the process is there.
  writeFileSync(file, `${process.pid}\n`);
  expect(alive(file)).toBe(true);
  writeFileSync(file, '');
  expect(alive(file)).toBe(false);
  expect(alive(path.join(dir, 'none.pid'))).toBe(false);
});
