import { expect, test } from '@playwright/test';
import { pino } from 'pino';
import type { Page } from 'playwright';
import type { EvidenceRun } from '../../evidence/recorder.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { RestoreRobotDeps } from '../../robots/restore-robot-deps.js';
import { StageRunner } from '../../robots/stage-runner.js';
import { TakenMeanwhile } from '../../robots/stop.js';
import { hostname } from 'node:os';
import { scratchDir } from '../helpers/scratch-dir.js';

/** A runner over pages and evidence that only say what was asked of them, in order. */
function runnerWithLog(ledger: Partial<Ledger> = {}) {
  const said: string[] = [];
  const fakePage = (name: string) =>
    ({
      setDefaultTimeout: () => undefined,
      bringToFront: () => {
        said.push(`${name} to front`);
        return Promise.resolve();
      },
    }) as unknown as Page;
  const evidence = {
    dir: scratchDir('stage-runner'),
    step: <T>(_page: Page, name: string, action: () => Promise<T>) => {
      said.push(`evidence ${name}`);
      return action();
    },
    attach: () => Promise.resolve(undefined),
  } as unknown as EvidenceRun;
  const deps = {
    page: fakePage('vert'),
    bleuPage: fakePage('bleu'),
    vertUrl: 'http://vert.test',
    bleuUrl: 'http://bleu.test',
    evidence,
    logger: pino({ level: 'silent' }),
    ledger,
    runId: 'run-1',
    timeouts: { stepMs: 1000, copyMs: 1000, restoreMs: 1000 },
    stepHook: async <T>(name: string, action: () => Promise<T>) => {
      said.push(`hook ${name} begins`);
      const result = await action();
      said.push(`hook ${name} ends`);
      return result;
    },
  } as unknown as RestoreRobotDeps;
  return { run: new StageRunner({ courseId: 12 }, deps), deps, said };
}

test("a page is brought to the front inside the step's hook, once while it stays in front", async () => {
  const { run, deps, said } = runnerWithLog();
  await run.onVert('open the course', () => Promise.resolve());
  await run.onVert('check the course is empty', () => Promise.resolve());
  await run.on(deps.bleuPage, 'check the course on bleu', () => Promise.resolve());
  expect(said).toEqual([
    'hook open the course begins',
    'vert to front',
    'evidence open the course',
    'hook open the course ends',
    'hook check the course is empty begins',
    'evidence check the course is empty',
    'hook check the course is empty ends',
    'hook check the course on bleu begins',
    'bleu to front',
    'evidence check the course on bleu',
    'hook check the course on bleu ends',
  ]);
});

test('a refusal is reported at the step under way', async () => {
  const { run } = runnerWithLog();
  const outcome = await run.run(async () => {
    await run.onVert('read the participants', () => Promise.resolve());
    return run.refuse('the course has content');
  });
  expect(outcome).toEqual({
    status: 'refused',
    courseId: 12,
    step: 'read the participants',
    reason: 'the course has content',
  });
});

test("beside: the main stage's error is the run's, once the other is done; else the other's, at its own step", async () => {
  const { run, deps } = runnerWithLog();
  let otherDone = false;
  const mainFails = await run.run(async () => {
    await run.beside(
      () => run.onVert('open the course', () => Promise.reject(new Error('vert is down'))),
      () =>
        run.on(deps.bleuPage, 'check the course on bleu', async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          otherDone = true;
          throw new Error('bleu is down');
        }),
    );
    return run.finish({ status: 'dry-run', courseId: 12, shortname: 'X', backupFile: 'x.mbz' });
  });
  expect(otherDone).toBe(true);
  expect(mainFails).toMatchObject({ status: 'failed', step: 'open the course', courseEmptied: false });

  const second = runnerWithLog();
  const otherFails = await second.run.run(async () => {
    await second.run.beside(
      () => second.run.onVert('check the course is empty', () => Promise.resolve(1)),
      () =>
        second.run.on(second.deps.bleuPage, 'check the course on bleu', () =>
          Promise.reject(new Error('bleu is down')),
        ),
    );
    return second.run.finish({ status: 'dry-run', courseId: 12, shortname: 'X', backupFile: 'x.mbz' });
  });
  expect(otherFails).toMatchObject({ status: 'failed', step: 'check the course on bleu' });
});

const FETCHED = 'backup-moodle2-course-3-hist-grp-20250625-0200.mbz';

test('a refusal once the fetched backup is named removes it (a backup with identified users, refused at the choice)', async () => {
  const { run, said } = runnerWithLog();
  const outcome = await run.run(async () => {
    run.rememberCourseContext(40);
    await run.onVert('choose the backup of this course', () => {
      run.rememberFetchedFile(FETCHED);
      return Promise.resolve();
    });
    return run.refuse("the backup holds its users' data");
  });
  expect(said).toContain('evidence remove the fetched backup');
  // These pages cannot remove anything: the attempt is what is proven, and its failure reported.
  expect(outcome).toMatchObject({ status: 'refused', step: 'choose the backup of this course' });
  expect(outcome.status === 'refused' && outcome.leftBehind?.[0]).toContain(
    `${FETCHED} stays in the private backup area`,
  );
});

test('a course another run took meanwhile: the block and the fetched backup are undone before the run leaves it', async () => {
  const otherRun = {
    state: 'claimed' as const,
    record: {
      courseId: 12,
      state: 'claimed' as const,
      runId: 'other-run',
      backupFile: FETCHED,
      evidencePath: '/evidence/other-run',
      forced: false,
      updatedAt: new Date().toISOString(),
      holder: `${process.pid}@${hostname()}`,
    },
  };
  const { run, said } = runnerWithLog({ status: () => Promise.resolve(otherRun), heartbeatStaleMs: 60_000 });
  const outcome = await run.run(() => {
    run.rememberLedgerBefore({ state: 'never-touched' });
    run.rememberCourseContext(40);
    run.rememberAddedBlock();
    run.rememberFetchedFile(FETCHED);
    run.at('claim the course');
    return Promise.reject(new TakenMeanwhile());
  });
  expect(outcome).toMatchObject({ status: 'claimed-elsewhere', runId: 'other-run' });
  expect(said).toContain('evidence remove the fetched backup');
  expect(said).toContain('evidence remove the backup block');
});
