import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { describeStatus, Ledger } from '../../robots/ledger.js';

const run = promisify(execFile);
const claimer = path.join(import.meta.dirname, 'helpers', 'ledger-claimer.ts');

function freshLedger(): Ledger {
  return new Ledger(path.join(mkdtempSync(path.join(tmpdir(), 'ecampus-ledger-')), 'state', 'ledger.jsonl'));
}

const claim = (course: string, runId: string) => ({
  course,
  backupFile: `${course}.mbz`,
  runId,
  evidencePath: `/e/${runId}`,
});

test('a restored course is refused afterwards, with when and from what', async () => {
  const ledger = freshLedger();
  expect(await ledger.claimDestructiveStep(claim('MATHS101', 'r1'))).toEqual({ granted: true });
  await ledger.recordRestored(claim('MATHS101', 'r1'));

  const second = await ledger.claimDestructiveStep(claim('MATHS101', 'r2'));
  expect(second.granted).toBe(false);
  if (second.granted) return;
  expect(second.status.state).toBe('restored');
  expect(describeStatus(second.status)).toMatch(
    /^already restored on .* from MATHS101\.mbz \(evidence: \/e\/r1\)$/,
  );
  expect(statSync(ledger.filePath).mode & 0o777).toBe(0o600);
});

test('a claim never closed (a killed run) refuses the course: it may be half restored', async () => {
  const ledger = freshLedger();
  await ledger.claimDestructiveStep(claim('PHYS', 'killed'));
  const status = await ledger.status('PHYS');
  expect(status.state).toBe('interrupted');
  expect((await ledger.claimDestructiveStep(claim('PHYS', 'rerun'))).granted).toBe(false);
});

test('a failure after the delete refuses the course; a failure before it does not count', async () => {
  const ledger = freshLedger();
  await ledger.recordFailure({
    course: 'CHEM',
    runId: 'r0',
    evidencePath: '/e/r0',
    reason: 'bleu unreachable',
  });
  expect(await ledger.status('CHEM')).toEqual({ state: 'never-touched' });

  await ledger.claimDestructiveStep(claim('CHEM', 'r1'));
  await ledger.recordFailure({ course: 'CHEM', runId: 'r1', evidencePath: '/e/r1', reason: 'restore error' });
  expect(await ledger.status('CHEM')).toMatchObject({
    state: 'failed-after-delete',
    entry: { reason: 'restore error' },
  });
});

test('--force claims again and says so in the ledger', async () => {
  const ledger = freshLedger();
  await ledger.claimDestructiveStep(claim('BIO', 'r1'));
  await ledger.recordRestored(claim('BIO', 'r1'));
  expect(await ledger.claimDestructiveStep(claim('BIO', 'r2'), { force: true })).toEqual({ granted: true });
  const entries = await ledger.entries();
  expect(
    entries.filter((entry) => entry.event === 'destructive-step-claimed').map((entry) => entry.forced),
  ).toEqual([false, true]);
});

test('a line cut short by a crash is skipped, and the next entry starts on its own line', async () => {
  const ledger = freshLedger();
  await ledger.claimDestructiveStep(claim('GEO', 'r1'));
  appendFileSync(ledger.filePath, '{"event":"restored","course":"GEO","ru');
  await ledger.claimDestructiveStep(claim('HIST', 'r2'));
  const entries = await ledger.entries();
  expect(entries.map((entry) => [entry.event, entry.course])).toEqual([
    ['destructive-step-claimed', 'GEO'],
    ['destructive-step-claimed', 'HIST'],
  ]);
});

test('a lock left by a dead process is taken over', async () => {
  const ledger = freshLedger();
  await ledger.claimDestructiveStep(claim('ART', 'r1'));
  const lock = `${ledger.filePath}.lock`;
  mkdirSync(lock);
  writeFileSync(
    path.join(lock, 'owner.json'),
    JSON.stringify({
      pid: 2 ** 22 + 1,
      host: hostname(),
      since: new Date().toISOString(),
    }),
  );
  expect((await ledger.claimDestructiveStep(claim('MUSIC', 'r2'))).granted).toBe(true);
});

test('four processes racing for the same twenty courses: each course is claimed exactly once', async () => {
  const ledger = freshLedger();
  const courses = Array.from({ length: 20 }, (_, i) => `COURSE${i}`);
  const outputs = await Promise.all(
    [1, 2, 3, 4].map((worker) =>
      run(process.execPath, [
        '--import',
        'tsx',
        claimer,
        ledger.filePath,
        `w${worker}`,
        ...(worker % 2 ? courses : [...courses].reverse()),
      ]),
    ),
  );
  const granted = outputs.flatMap(({ stdout }) => JSON.parse(stdout) as string[]);
  expect(granted.sort()).toEqual([...courses].sort());
  const entries = await ledger.entries();
  expect(entries.filter((entry) => entry.event === 'destructive-step-claimed')).toHaveLength(20);
  expect(entries.filter((entry) => entry.event === 'restored')).toHaveLength(20);
});
