import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from '@playwright/test';
import { createLogger } from '../../evidence/logger.js';
import { scratchDir } from '../helpers/scratch-dir.js';

test('JSON goes to the file, readable lines to the console, and secrets to neither', async () => {
  const file = path.join(scratchDir('ecampus-log'), 'run.log');
  const consoleOut = new PassThrough();
  let printed = '';
  consoleOut.on('data', (chunk: Buffer) => (printed += chunk.toString()));

  const run = createLogger({ level: 'info', file, console: consoleOut });
  run.logger.info(
    { course: 'MATHS101', step: 'Log in', credentials: { username: 'teacher1', password: 'hunter2' } },
    'logging in',
  );
  run.logger.warn({ course: 'MATHS101', sesskey: 'abc123', token: 't0k3n' }, 'two editing teachers');
  run.logger.debug('not shown at info');
  await run.close();

  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({
    msg: 'logging in',
    credentials: { username: 'teacher1', password: '[redacted]' },
  });
  expect(lines[1]).toMatchObject({ sesskey: '[redacted]', token: '[redacted]' });
  expect(statSync(file).mode & 0o777).toBe(0o600);

  expect(printed).toMatch(/^\d\d:\d\d:\d\d info {2}MATHS101 · Log in — logging in credentials=/m);
  expect(printed).toMatch(/WARN {2}MATHS101 — two editing teachers/);
  for (const secret of ['hunter2', 'abc123', 't0k3n']) {
    expect(printed).not.toContain(secret);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
  }
});
