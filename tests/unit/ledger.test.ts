import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import {
  claimHolderIsGone,
  describeStatus,
  holderIsGone,
  LedgerError,
  LedgerUnavailableError,
  type Ledger,
} from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { forceMayTakeOver } from '../../ledger/claim-rules.js';
import { scratchDir } from '../helpers/scratch-dir.js';
import type { ClaimerReport } from './helpers/ledger-claimer.js';
import { testPostgres } from './helpers/postgres.js';
import { ledgerAnchor } from '../../ledger/evidence-anchor.js';

const run = promisify(execFile);
const claimer = path.join(import.meta.dirname, 'helpers', 'ledger-claimer.ts');

const postgres = await testPostgres();
if (!postgres.available && process.env['TEST_WORKER_INDEX'] !== undefined) {
  console.log(`PostgreSQL ledger tests: SKIPPED - ${postgres.reason}`);
}

/** Where a new, empty ledger is: an SQLite file, or a PostgreSQL database's URL. */
interface Backend {
  name: string;
  skipped?: string;
  freshLocation: () => Promise<string>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    freshLocation: () => Promise.resolve(path.join(scratchDir('ecampus-ledger'), 'state', 'ledger.sqlite')),
  },
  postgres.available
    ? { name: 'PostgreSQL', freshLocation: postgres.freshDatabase }
    : {
        name: 'PostgreSQL',
        skipped: postgres.reason,
        freshLocation: () => Promise.reject(new Error('skipped')),
      },
];

function openAt(location: string, options: { heartbeatStaleMs?: number } = {}): Promise<Ledger> {
  return openLedger({
    ledgerPath: location,
    ...(location.startsWith('postgres://') && { ledgerUrl: location }),
    ledgerHeartbeatStaleMs: options.heartbeatStaleMs ?? 60_000,
  });
}

const claim = (courseId: number, runId: string) => ({
  courseId,
  courseLabel: `COURSE${courseId}`,
  backupFile: `${courseId}.mbz`,
  runId,
  evidencePath: `/e/${runId}`,
});

/** Child processes racing for courses, started together once all are ready. */
async function race(
  location: string,
  claimers: { worker: string; first: number; last: number; host?: string }[],
  slotMs: number,
) {
  const syncDir = scratchDir('ecampus-ledger-race');
  const racing = Promise.all(
    claimers.map(({ worker, first, last, host }) =>
      run(process.execPath, [
        '--import',
        'tsx',
        claimer,
        location,
        syncDir,
        worker,
        String(slotMs),
        String(first),
        String(last),
        ...(host === undefined ? [] : [host]),
      ]),
    ),
  );
  await expect
    .poll(() => readdirSync(syncDir).filter((name) => name.startsWith('ready-')).length, { timeout: 90_000 })
    .toBe(claimers.length);
  writeFileSync(path.join(syncDir, 'go'), String(Date.now() + 300));
  return (await racing).map(({ stdout }) => JSON.parse(stdout) as ClaimerReport);
}

const opened: Ledger[] = [];
test.afterEach(async () => {
  for (const ledger of opened.splice(0)) await ledger.close();
});
test.afterAll(async () => {
  if (postgres.available) await postgres.dropAll();
});

for (const backend of backends) {
  test.describe(`${backend.name} ledger`, () => {
    test.skip(backend.skipped !== undefined, backend.skipped);

    const freshLedger = async (options: { heartbeatStaleMs?: number } = {}) => {
      const ledger = await openAt(await backend.freshLocation(), options);
      opened.push(ledger);
      return ledger;
    };
    const reopen = async (location: string, options: { heartbeatStaleMs?: number } = {}) => {
      const ledger = await openAt(location, options);
      opened.push(ledger);
      return ledger;
    };

    test('an evidence seal is recorded once per folder and read back', async () => {
      const ledger = await freshLedger();
      const seal = {
        evidencePath: '/e/run-1',
        chainHead: 'c'.repeat(64),
        runId: 'r1',
        courseLabel: 'MATHS101',
        sealedAt: '2026-12-04T20:00:00.000Z',
      };
      await ledger.recordEvidenceSeal(seal);
      expect(await ledger.evidenceSeal('/e/run-1')).toEqual(seal);
      expect(await ledger.evidenceSeal('/e/run-2')).toBeUndefined();
      await expect(ledger.recordEvidenceSeal({ ...seal, chainHead: 'd'.repeat(64) })).rejects.toThrow(
        /already sealed/,
      );
      expect((await ledger.evidenceSeal('/e/run-1'))?.chainHead).toBe('c'.repeat(64));
    });

    test("verify-evidence's anchor is the seal in the ledger the runs wrote to, this backend included", async () => {
      const location = await backend.freshLocation();
      const ledger = await reopen(location);
      const folder = scratchDir('ecampus-sealed-folder');
      writeFileSync(
        path.join(folder, 'manifest.json'),
        JSON.stringify({ sealed: { chainHead: 'e'.repeat(64) } }),
      );
      await ledger.recordEvidenceSeal({
        evidencePath: path.resolve(folder),
        chainHead: 'e'.repeat(64),
        runId: 'r1',
        courseLabel: 'MATHS101',
        sealedAt: '2026-12-06T20:00:00.000Z',
      });
      const settings = {
        ledgerPath: location.startsWith('postgres://')
          ? path.join(folder, 'no-local-ledger.sqlite')
          : location,
        ...(location.startsWith('postgres://') && { ledgerUrl: location }),
        ledgerHeartbeatStaleMs: 60_000,
      };
      const anchor = await ledgerAnchor(folder, undefined, () => settings);
      expect(anchor).toMatchObject({ expectedHead: 'e'.repeat(64), problems: [] });
      expect(anchor.note).toContain('run r1 of MATHS101');

      const unknown = scratchDir('ecampus-unknown-folder');
      writeFileSync(
        path.join(unknown, 'manifest.json'),
        JSON.stringify({ sealed: { chainHead: 'f'.repeat(64) } }),
      );
      const missing = await ledgerAnchor(unknown, undefined, () => settings);
      expect(missing.problems.join('\n')).toContain('holds no seal for this folder');
    });

    test("--force never takes over a claim whose process is alive; a dead holder's claim it does", async () => {
      const ledger = await freshLedger();
      // This process holds the claim: alive.
      await ledger.claimBeforePerform(claim(12, 'running'));
      const refused = await ledger.claimBeforePerform(claim(12, 'forcer'), { force: true });
      expect(refused.granted).toBe(false);
      expect(await ledger.status(12)).toMatchObject({ state: 'claimed', record: { runId: 'running' } });
      expect(forceMayTakeOver(await ledger.status(12), ledger)).toBe(false);

      // A holder on this machine whose pid no longer runs.
      await ledger.claimBeforePerform({ ...claim(13, 'killed'), holder: `999999999@${hostname()}` });
      expect(forceMayTakeOver(await ledger.status(13), ledger)).toBe(true);
      expect(await ledger.claimBeforePerform(claim(13, 'forcer'), { force: true })).toEqual({
        granted: true,
      });
      // A restored course, or one failed after Perform, --force still restores again.
      await ledger.recordRestored(13, 'forcer', 'lost access: Bruno Petit (Teacher; Manual enrolments)');
      const restored = await ledger.status(13);
      expect(forceMayTakeOver(restored, ledger)).toBe(true);
      expect(describeStatus(restored)).toContain('; lost access: Bruno Petit (Teacher; Manual enrolments)');
    });

    test('a restored course is refused afterwards, with when and from what', async () => {
      const ledger = await freshLedger();
      expect(await ledger.claimBeforePerform(claim(101, 'r1'))).toEqual({ granted: true });
      await ledger.recordRestored(101, 'r1');

      const second = await ledger.claimBeforePerform(claim(101, 'r2'));
      expect(second.granted).toBe(false);
      if (second.granted) return;
      expect(second.status.state).toBe('restored');
      expect(describeStatus(second.status)).toMatch(
        /^already restored on .* from 101\.mbz \(evidence: \/e\/r1\)$/,
      );
    });

    test('a claim never closed (a killed run) refuses the course: it may be half restored', async () => {
      const ledger = await freshLedger();
      // A pid above Linux's largest: no such process.
      await ledger.claimBeforePerform({ ...claim(7, 'killed'), holder: `${2 ** 22 + 1}@${hostname()}` });
      const status = await ledger.status(7);
      expect(status.state).toBe('claimed');
      expect(describeStatus(status)).toContain('the course may be half restored');
      expect((await ledger.claimBeforePerform(claim(7, 'rerun'))).granted).toBe(false);
    });

    test('a claim held by a live process is "being restored" by its run, never "may be half restored"', async () => {
      const ledger = await freshLedger();
      await ledger.claimBeforePerform(claim(9, 'running'));
      const status = await ledger.status(9);
      expect(describeStatus(status)).toMatch(
        new RegExp(`^being restored by run running \\(process ${process.pid}@`),
      );
      expect(describeStatus(status)).not.toContain('half restored');
    });

    test('a stop before Perform is "released, nothing deleted", and the course can be claimed again', async () => {
      const ledger = await freshLedger();
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
      const ledger = await freshLedger();
      await ledger.claimBeforePerform(claim(9, 'r1'));
      await ledger.recordFailedAfterPerform(9, 'r1', 'restore error');
      const status = await ledger.status(9);
      expect(status).toMatchObject({ state: 'failed-after-perform', record: { reason: 'restore error' } });
      expect(describeStatus(status)).toContain('so the course content was deleted: restore error');
      expect((await ledger.claimBeforePerform(claim(9, 'r2'))).granted).toBe(false);
    });

    test('only the run that holds the claim can close it', async () => {
      const ledger = await freshLedger();
      await expect(ledger.recordRestored(10, 'r1')).rejects.toThrow(LedgerError);
      await ledger.claimBeforePerform(claim(10, 'r1'));
      await expect(ledger.release(10, 'other', 'x')).rejects.toThrow(
        'run other cannot record "released" for course 10: it does not hold the claim (course is claimed)',
      );
    });

    test('--force claims again and says so in the ledger', async () => {
      const ledger = await freshLedger();
      await ledger.claimBeforePerform(claim(11, 'r1'));
      await ledger.recordRestored(11, 'r1');
      expect(await ledger.claimBeforePerform(claim(11, 'r2'), { force: true })).toEqual({ granted: true });
      const claims = (await ledger.history(11)).filter((event) => event.event === 'claimed');
      expect(claims.map((event) => event.forced)).toEqual([false, true]);
      expect(await ledger.status(11)).toMatchObject({
        state: 'claimed',
        record: { forced: true, runId: 'r2' },
      });
    });

    test('the key is the vert course id; the short name is a label to look it up by', async () => {
      const ledger = await freshLedger();
      await ledger.claimBeforePerform({ ...claim(1234, 'r1'), courseLabel: 'MATHS101' });
      expect(
        (await ledger.claimBeforePerform({ ...claim(1234, 'r2'), courseLabel: 'maths-101' })).granted,
      ).toBe(false);
      expect((await ledger.findByLabel('MATHS101')).map((record) => record.courseId)).toEqual([1234]);
    });

    test('eight processes racing for the same three hundred courses: never two holders of one course', async () => {
      test.setTimeout(120_000);
      const location = await backend.freshLocation();
      const setup = await reopen(location);
      // A claim left by a killed run: no racer may take that course.
      await setup.claimBeforePerform(claim(150, 'killed'));

      const courses = 300;
      const reports = await race(
        location,
        Array.from({ length: 8 }, (_, worker) => ({ worker: `w${worker}`, first: 1, last: courses })),
        15,
      );
      const grants = reports.flatMap((report) => report.granted);
      const expected = Array.from({ length: courses }, (_, i) => i + 1).filter((id) => id !== 150);
      const doubleHolders = grants.filter((id, index) => grants.indexOf(id) !== index);
      expect(doubleHolders).toEqual([]);
      expect(grants.sort((a, b) => a - b)).toEqual(expected);
      expect((await setup.status(150)).state).toBe('claimed');
      expect((await setup.history(1)).map((event) => event.event)).toEqual(['claimed', 'restored']);
      // A race, not turns: losers met claims still held by the winner (on a loaded machine one worker
      // may win every course, which proves as much as long as the others were refused meanwhile).
      const metHeld = reports
        .flatMap((report) => report.refused)
        .filter((refusal) => refusal.state === 'claimed' && refusal.courseId !== 150);
      expect(metHeld.length, 'the workers really raced').toBeGreaterThan(0);
    });

    test('a claim names its holder process; a dead holder is gone, a live one or another machine is not', async () => {
      const ledger = await freshLedger();
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
      const ledger = await freshLedger();
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

    test('a holder beats its claim; a claim of another machine counts as gone once its heartbeat is stale', async () => {
      const location = await backend.freshLocation();
      const holder = await reopen(location, { heartbeatStaleMs: 400 });
      await holder.claimBeforePerform({ ...claim(30, 'far'), holder: '4242@another-machine' });
      const claimed = await holder.status(30);
      if (claimed.state !== 'claimed') throw new Error('course 30 is not claimed');
      await expect
        .poll(async () => {
          const status = await holder.status(30);
          return status.state === 'claimed' && status.record.heartbeatAt !== claimed.record.heartbeatAt;
        })
        .toBe(true);
      const beating = await holder.status(30);
      if (beating.state !== 'claimed') throw new Error('course 30 is not claimed');
      expect(claimHolderIsGone(beating.record, holder)).toBe(false);

      // The holder stops (its machine died): the claim is left as it was, with its last heartbeat.
      await holder.close();
      opened.splice(opened.indexOf(holder), 1);
      const reader = await reopen(location, { heartbeatStaleMs: 400 });
      const left = await reader.status(30);
      if (left.state !== 'claimed' || left.record.heartbeatAt === undefined) throw new Error('no heartbeat');
      const lastBeat = Date.parse(left.record.heartbeatAt);
      expect(claimHolderIsGone(left.record, reader, lastBeat + 399)).toBe(false);
      expect(claimHolderIsGone(left.record, reader, lastBeat + 401)).toBe(true);
      // On this machine the process decides, whatever the heartbeat says.
      const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      const here = {
        holder: `${ended.stdout.toString()}@${hostname()}`,
        heartbeatAt: new Date().toISOString(),
      };
      expect(claimHolderIsGone(here, reader)).toBe(true);
      // A claim of another machine written before heartbeats counts as live.
      expect(claimHolderIsGone({ holder: '1@another-machine' }, reader)).toBe(false);
    });

    test('a closed claim is no longer beaten', async () => {
      const ledger = await freshLedger({ heartbeatStaleMs: 40 });
      await ledger.claimBeforePerform(claim(31, 'r1'));
      await ledger.recordRestored(31, 'r1');
      const status = await ledger.status(31);
      expect(status.state === 'restored' && status.record.heartbeatAt).toBeUndefined();
    });
  });
}

test('the SQLite ledger file is readable by its owner only', async () => {
  const ledger = new SqliteLedger(path.join(scratchDir('ecampus-ledger'), 'state', 'ledger.sqlite'));
  opened.push(ledger);
  await ledger.claimBeforePerform(claim(1, 'r1'));
  expect(statSync(ledger.filePath).mode & 0o777).toBe(0o600);
});

test('a ledger written before claims had holders gets the new columns and keeps its records', async () => {
  const file = path.join(scratchDir('ecampus-ledger'), 'state', 'ledger.sqlite');
  mkdirSync(path.dirname(file), { recursive: true });
  const old = new Database(file);
  old.exec(`CREATE TABLE courses (course_id INTEGER PRIMARY KEY, course_label TEXT, state TEXT NOT NULL,
    run_id TEXT NOT NULL, backup_file TEXT NOT NULL, evidence_path TEXT NOT NULL, forced INTEGER NOT NULL,
    reason TEXT, updated_at TEXT NOT NULL);
    INSERT INTO courses VALUES (5, 'OLD', 'restored', 'r0', 'old.mbz', '/e', 0, NULL, '2026-01-01T00:00:00.000Z');`);
  old.close();
  const ledger = new SqliteLedger(file);
  opened.push(ledger);
  expect(await ledger.status(5)).toMatchObject({ state: 'restored', record: { backupFile: 'old.mbz' } });
  await ledger.claimBeforePerform({ ...claim(6, 'r1'), restoreId: 'def' });
  expect((await ledger.status(6)).state).toBe('claimed');
});

test('the ledger folder is created 0700 under umask 022', () => {
  const previous = process.umask(0o022);
  try {
    const file = path.join(scratchDir('ecampus-ledger'), 'state', 'ledger.sqlite');
    const ledger = new SqliteLedger(file);
    opened.push(ledger);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});

test.describe('PostgreSQL ledger shared by machines', () => {
  test.skip(!postgres.available, postgres.available ? '' : postgres.reason);

  test('two machines over overlapping lists, started together: each course claimed once, the other sees it claimed elsewhere', async () => {
    test.setTimeout(120_000);
    if (!postgres.available) return;
    const url = await postgres.freshDatabase();
    const [a, b] = await race(
      url,
      [
        { worker: 'machine-a', first: 1, last: 60, host: 'machine-a' },
        { worker: 'machine-b', first: 31, last: 90, host: 'machine-b' },
      ],
      40,
    );
    if (a === undefined || b === undefined) throw new Error('a machine did not report');
    const grants = [...a.granted, ...b.granted].sort((x, y) => x - y);
    expect(grants).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    for (const [loser, winner] of [
      [a, 'machine-b'],
      [b, 'machine-a'],
    ] as const) {
      for (const refused of loser.refused) {
        expect(refused.runId.startsWith(`${winner}-`), `course ${refused.courseId}`).toBe(true);
        expect(['claimed', 'restored']).toContain(refused.state);
        // A claim of another machine, beating: live, never "interrupted".
        expect(refused.holderGone).toBe(false);
      }
    }
    expect(a.refused.length + b.refused.length).toBe(30);
    expect(
      [...a.refused, ...b.refused].filter((refused) => refused.state === 'claimed').length,
      'a loser met the claim while it was held',
    ).toBeGreaterThan(0);
    const reader = await openAt(url);
    opened.push(reader);
    for (const courseId of [1, 45, 90]) expect((await reader.status(courseId)).state).toBe('restored');
  });

  test('the database stopped mid-run: the claim fails with a one-line reason and records nothing', async () => {
    if (!postgres.available) return;
    const url = await postgres.freshDatabase();
    const ledger = await openAt(url);
    opened.push(ledger);
    expect(await ledger.claimBeforePerform(claim(40, 'r1'))).toEqual({ granted: true });

    await postgres.cutOff(url);
    const refused = await ledger.claimBeforePerform(claim(41, 'r1')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(LedgerUnavailableError);
    const message = (refused as Error).message;
    expect(message).toMatch(
      /^ledger database postgres:\/\/ledgertest_\d+:\*\*\*@127\.0\.0\.1:\d+\/\S+ unavailable: /,
    );
    expect(message).not.toContain('\n');
    expect(message).not.toContain(new URL(url).password);
    await expect(ledger.release(40, 'r1', 'stopped')).rejects.toThrow(LedgerUnavailableError);

    await postgres.reopen(url);
    expect((await ledger.status(41)).state).toBe('never-touched');
    // The claim that could not be closed stays: a rerun is refused, never restores it blindly.
    expect((await ledger.status(40)).state).toBe('claimed');
    expect(await ledger.claimBeforePerform(claim(41, 'r2'))).toEqual({ granted: true });
  });

  test('no server at the address: opening the ledger fails with a one-line reason', async () => {
    const error = await openAt('postgres://nobody:secret@127.0.0.1:1/ledger').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    // One line, the address without its password, then pg's reason (a refused connection, here).
    expect((error as Error).message).toMatch(
      /^ledger database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/ledger unavailable: [^\n]+$/,
    );
  });
});
