import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { describeStatus, holderIsGone, LedgerError } from '../../robots/ledger.js';
import { SqliteLedger } from '../../robots/sqlite-ledger.js';
import { forceMayTakeOver } from '../../robots/claim-rules.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const run = promisify(execFile);
const claimer = path.join(import.meta.dirname, 'helpers', 'ledger-claimer.ts');

function ledgerFile(): string {
  return path.join(scratchDir('ecampus-ledger'), 'state', 'ledger.sqlite');
}

function freshLedger(): SqliteLedger {
  return new SqliteLedger(ledgerFile());
}

const claim = (courseId: number, runId: string) => ({
  courseId,
  courseLabel: `COURSE${courseId}`,
  backupFile: `${courseId}.mbz`,
  runId,
  evidencePath: `/e/${runId}`,
});

test('a restored course is refused afterwards, with when and from what', async () => {
  const ledger = freshLedger();
  expect(await ledger.claimBeforePerform(claim(101, 'r1'))).toEqual({ granted: true });
  await ledger.recordRestored(101, 'r1');

  const second = await ledger.claimBeforePerform(claim(101, 'r2'));
  expect(second.granted).toBe(false);
  if (second.granted) return;
  expect(second.status.state).toBe('restored');
  expect(describeStatus(second.status)).toMatch(
    /^already restored on .* from 101\.mbz \(evidence: \/e\/r1\)$/,
  );
  expect(statSync(ledger.filePath).mode & 0o777).toBe(0o600);
});

test('a claim never closed (a killed run) refuses the course: it may be half restored', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform(claim(7, 'killed'));
  const status = await ledger.status(7);
  expect(status.state).toBe('claimed');
  expect(describeStatus(status)).toContain('the course may be half restored');
  expect((await ledger.claimBeforePerform(claim(7, 'rerun'))).granted).toBe(false);
});

test('a stop before Perform is "released, nothing deleted", and the course can be claimed again', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform(claim(8, 'r1'));
  await ledger.release(8, 'r1', 'the Perform button did not appear');
  const status = await ledger.status(8);
  expect(status.state).toBe('released');
  expect(describeStatus(status)).toMatch(
    /^released, nothing deleted: run r1 stopped before Perform on .*: the Perform button did not appear/,
  );
  expect(await ledger.claimBeforePerform(claim(8, 'r2'))).toEqual({ granted: true });
  expect((await ledger.history(8)).map((event) => [event.event, event.runId])).toEqual([
    ['claimed', 'r1'],
    ['released', 'r1'],
    ['claimed', 'r2'],
  ]);
});

test('a failure after Perform refuses the course: its content is gone', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform(claim(9, 'r1'));
  await ledger.recordFailedAfterPerform(9, 'r1', 'restore error');
  const status = await ledger.status(9);
  expect(status).toMatchObject({ state: 'failed-after-perform', record: { reason: 'restore error' } });
  expect(describeStatus(status)).toContain('so the course content was deleted: restore error');
  expect((await ledger.claimBeforePerform(claim(9, 'r2'))).granted).toBe(false);
});

test('only the run that holds the claim can close it', async () => {
  const ledger = freshLedger();
  await expect(ledger.recordRestored(10, 'r1')).rejects.toThrow(LedgerError);
  await ledger.claimBeforePerform(claim(10, 'r1'));
  await expect(ledger.release(10, 'other', 'x')).rejects.toThrow(
    'run other cannot record "released" for course 10: it does not hold the claim (course is claimed)',
  );
});

test('--force claims again and says so in the ledger', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform(claim(11, 'r1'));
  await ledger.recordRestored(11, 'r1');
  expect(await ledger.claimBeforePerform(claim(11, 'r2'), { force: true })).toEqual({ granted: true });
  const claims = (await ledger.history(11)).filter((event) => event.event === 'claimed');
  expect(claims.map((event) => event.forced)).toEqual([false, true]);
  expect(await ledger.status(11)).toMatchObject({ state: 'claimed', record: { forced: true, runId: 'r2' } });
});

test('the key is the vert course id; the short name is a label to look it up by', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform({ ...claim(1234, 'r1'), courseLabel: 'MATHS101' });
  expect((await ledger.claimBeforePerform({ ...claim(1234, 'r2'), courseLabel: 'maths-101' })).granted).toBe(
    false,
  );
  expect((await ledger.findByLabel('MATHS101')).map((record) => record.courseId)).toEqual([1234]);
});

test('eight processes racing for the same three hundred courses: never two holders of one course', async () => {
  test.setTimeout(120_000);
  const filePath = ledgerFile();
  const setup = new SqliteLedger(filePath);
  // A claim left by a killed run: no racer may take that course.
  await setup.claimBeforePerform(claim(150, 'killed'));
  await setup.close();

  const workers = 8;
  const courses = 300;
  // Every worker tries course k at the same moment, start + k × slot, once all are ready.
  const slotMs = 15;
  const racing = Promise.all(
    Array.from({ length: workers }, (_, worker) =>
      run(process.execPath, [
        '--import',
        'tsx',
        claimer,
        filePath,
        `w${worker}`,
        String(slotMs),
        String(courses),
      ]),
    ),
  );
  const dir = path.dirname(filePath);
  await expect
    .poll(() => readdirSync(dir).filter((name) => name.includes('.ready-')).length, { timeout: 90_000 })
    .toBe(workers);
  writeFileSync(`${filePath}.go`, String(Date.now() + 300));
  const outputs = await racing;
  const grants = outputs.flatMap(({ stdout }) => JSON.parse(stdout) as number[]);
  const expected = Array.from({ length: courses }, (_, i) => i + 1).filter((id) => id !== 150);
  const doubleHolders = grants.filter((id, index) => grants.indexOf(id) !== index);
  expect(doubleHolders).toEqual([]);
  expect(grants.sort((a, b) => a - b)).toEqual(expected);
  const ledger = new SqliteLedger(filePath);
  expect((await ledger.status(150)).state).toBe('claimed');
  expect((await ledger.history(1)).map((event) => event.event)).toEqual(['claimed', 'restored']);
  const winners = outputs.filter(({ stdout }) => (JSON.parse(stdout) as number[]).length > 0);
  expect(winners.length, 'the workers really raced').toBeGreaterThan(1);
});

test('a claim names its holder process; a dead holder is gone, a live one or another machine is not', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform({ ...claim(20, 'r1'), restoreId: 'abc123' });
  const status = await ledger.status(20);
  expect(status.state === 'claimed' && status.record).toMatchObject({
    holder: `${process.pid}@${hostname()}`,
    restoreId: 'abc123',
  });
  expect(holderIsGone(`${process.pid}@${hostname()}`)).toBe(false);
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  expect(holderIsGone(`${ended.stdout.toString()}@${hostname()}`)).toBe(true);
  expect(holderIsGone(`${ended.stdout.toString()}@another-machine`)).toBe(false);
  expect(holderIsGone(undefined)).toBe(false);
});

test('an interrupted claim is taken over once, then closed by the run that took it', async () => {
  const ledger = freshLedger();
  await ledger.claimBeforePerform(claim(21, 'killed'));
  expect(await ledger.takeOverInterrupted(21, 'killed', 'rerun', 'holder gone')).toBe(true);
  expect(await ledger.takeOverInterrupted(21, 'killed', 'another', 'holder gone')).toBe(false);
  await ledger.recordRestored(21, 'rerun');
  expect((await ledger.history(21)).map((event) => `${event.event} ${event.runId}`)).toEqual([
    'claimed killed',
    'taken-over rerun',
    'restored rerun',
  ]);
});

test('a ledger written before claims had holders gets the new columns and keeps its records', async () => {
  const file = ledgerFile();
  mkdirSync(path.dirname(file), { recursive: true });
  const old = new Database(file);
  old.exec(`CREATE TABLE courses (course_id INTEGER PRIMARY KEY, course_label TEXT, state TEXT NOT NULL,
    run_id TEXT NOT NULL, backup_file TEXT NOT NULL, evidence_path TEXT NOT NULL, forced INTEGER NOT NULL,
    reason TEXT, updated_at TEXT NOT NULL);
    INSERT INTO courses VALUES (5, 'OLD', 'restored', 'r0', 'old.mbz', '/e', 0, NULL, '2026-01-01T00:00:00.000Z');`);
  old.close();
  const ledger = new SqliteLedger(file);
  expect(await ledger.status(5)).toMatchObject({ state: 'restored', record: { backupFile: 'old.mbz' } });
  await ledger.claimBeforePerform({ ...claim(6, 'r1'), restoreId: 'def' });
  expect((await ledger.status(6)).state).toBe('claimed');
});

test("--force never takes over a claim whose process is alive; a dead holder's claim it does", async () => {
  const ledger = freshLedger();
  // This process holds the claim: alive.
  await ledger.claimBeforePerform(claim(12, 'running'));
  const refused = await ledger.claimBeforePerform(claim(12, 'forcer'), { force: true });
  expect(refused.granted).toBe(false);
  expect(await ledger.status(12)).toMatchObject({ state: 'claimed', record: { runId: 'running' } });
  expect(forceMayTakeOver(await ledger.status(12))).toBe(false);

  // A holder on this machine whose pid no longer runs.
  await ledger.claimBeforePerform({ ...claim(13, 'killed'), holder: `999999999@${hostname()}` });
  expect(forceMayTakeOver(await ledger.status(13))).toBe(true);
  expect(await ledger.claimBeforePerform(claim(13, 'forcer'), { force: true })).toEqual({ granted: true });
  // A restored course, or one failed after Perform, --force still restores again.
  await ledger.recordRestored(13, 'forcer', 'lost access: Bruno Petit (Teacher; Manual enrolments)');
  const restored = await ledger.status(13);
  expect(forceMayTakeOver(restored)).toBe(true);
  expect(describeStatus(restored)).toContain('; lost access: Bruno Petit (Teacher; Manual enrolments)');
});
