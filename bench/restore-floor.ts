/**
 * The robot against the server's floor: for each seeded course, Moodle's own CLI restore of the same
 * .mbz (admin/cli/restore_backup.php, no browser, no UI) and the robot's whole procedure, each run
 * `runs` times from the seeded state; medians with min and max, the robot's time per step and the
 * share of its time spent taking evidence. The robot is timed twice: as the first course of its
 * session (a new browser: an empty cache, Moodle's user tours on first sight), and as a course of a
 * running session, after another course, as every course but the first of a batch runs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright';
import { loadConfig } from '../config/env.js';
import type { Manifest } from '../evidence/recorder.js';
import { reset, status, teacherEnvironment, up } from '../harness/harness.js';
import { sitePaths, type MoodleVersion } from '../harness/paths.js';
import { php } from '../harness/site.js';
import { loadState } from '../harness/state.js';
import { restoreCourses } from '../session/restore-session.js';

const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}

export interface CourseFigures {
  course: string;
  activities: number;
  cliRestoreS: Spread;
  robotS: Spread;
  /** The robot on this course after another one in the same session (a batch's courses but the first). */
  robotInSessionS: Spread;
  /** Robot median over CLI median. */
  ratio: number;
  /** The target: robot ≤ 1.3 × CLI + 10 s. */
  targetS: number;
  evidenceShare: Spread;
  /** Share of the robot's time during which a page or a service call of Moodle's was being answered. */
  moodleAnswerShare: Spread;
  stepsS: Record<string, number>;
}

/**
 * The stretches of time during which the browser waited for one of Moodle's answers (a page, a
 * service call), overlapping requests counted once.
 */
function timeMoodleAnswers(context: BrowserContext) {
  const intervals: [start: number, end: number][] = [];
  context.on('requestfinished', (request) => {
    if (!['document', 'xhr', 'fetch'].includes(request.resourceType())) return;
    const timing = request.timing();
    if (timing.responseEnd < 0) return;
    intervals.push([timing.startTime, timing.startTime + timing.responseEnd]);
  });
  return (from: number, to: number): number => {
    let busy = 0;
    let reached = from;
    for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
      const clippedStart = Math.max(start, reached);
      const clippedEnd = Math.min(end, to);
      if (clippedEnd > clippedStart) busy += clippedEnd - clippedStart;
      reached = Math.max(reached, clippedEnd);
    }
    return busy;
  };
}

async function cliRestore(mbz: string, categoryId: number): Promise<number> {
  const started = Date.now();
  await php(sitePaths(version, 'vert'), 'admin/cli/restore_backup.php', [
    `--file=${mbz}`,
    `--categoryid=${categoryId}`,
  ]);
  return (Date.now() - started) / 1000;
}

/** The course's backup, as bleu's companion serves it to vert's block. */
async function fetchBackup(shortname: string, dir: string): Promise<string> {
  const current = status(version);
  const answer = await fetch(
    `${current.sites.bleu.url}/local/ecampus_export/latest.php?shortname=${encodeURIComponent(shortname)}`,
    // On behalf of the harness's teacher, as vert's block asks (bleu serves nobody unnamed).
    {
      headers: {
        'X-Ecampus-Token': loadState(version).token,
        'X-Ecampus-Username': encodeURIComponent(current.teacher),
      },
    },
  );
  if (!answer.ok) throw new Error(`bleu served no backup of ${shortname}: HTTP ${answer.status}`);
  const file = path.join(dir, `${shortname}.mbz`);
  await writeFile(file, Buffer.from(await answer.arrayBuffer()));
  return file;
}

/** Restored first in the session when the course measured is not the session's first. */
function warmUpCourse(shortname: string): string {
  return shortname === 'HIST-GRP' ? 'ANG-EC1' : 'HIST-GRP';
}

async function robotOnce(shortname: string, runDir: string, session: 'first course' | 'in session') {
  await reset(version);
  const config = loadConfig({
    env: {
      ...process.env,
      ...teacherEnvironment(status(version)),
      EVIDENCE_DIR: runDir,
      LEDGER_PATH: path.join(runDir, `ledger-${Date.now()}.sqlite`),
      LOG_LEVEL: 'warn',
    },
  });
  let moodleBusyMs: ReturnType<typeof timeMoodleAnswers> = () => 0;
  const courses = session === 'first course' ? [shortname] : [warmUpCourse(shortname), shortname];
  const results = await restoreCourses(
    config,
    courses.map((course) => ({ target: { kind: 'shortname' as const, shortname: course }, label: course })),
    {
      onContext: (context) => {
        moodleBusyMs = timeMoodleAnswers(context);
      },
    },
  );
  const notRestored = results.find((each) => each.outcome.status !== 'restored');
  if (notRestored !== undefined)
    throw new Error(
      `the robot did not restore ${notRestored.course}: ${JSON.stringify(notRestored.outcome)}`,
    );
  const result = results[results.length - 1];
  if (result?.outcome.status !== 'restored') throw new Error(`${shortname}: no outcome`);
  const manifest = JSON.parse(
    await readFile(path.join(result.evidenceDir, 'manifest.json'), 'utf8'),
  ) as Manifest;
  const first = manifest.steps[0];
  const last = manifest.steps[manifest.steps.length - 1];
  if (!first || !last) throw new Error('no steps recorded');
  // The procedure, from its first step to its last (the browser's login is the session's, not the course's).
  const wallS = (Date.parse(last.endedAt) - Date.parse(first.startedAt)) / 1000;
  const evidenceS = manifest.screenshots.reduce((sum, shot) => sum + (shot.captureMs ?? 0), 0) / 1000;
  const moodleS = moodleBusyMs(Date.parse(first.startedAt), Date.parse(last.endedAt)) / 1000;
  return {
    wallS,
    evidenceShare: evidenceS / wallS,
    moodleAnswerShare: moodleS / wallS,
    steps: Object.fromEntries(manifest.steps.map((step) => [step.step, step.durationMs / 1000])),
    activities: result.outcome.verification.counts.restoredActivities,
  };
}

export async function measureRestoreFloor(
  courses: readonly string[],
  runs: number,
): Promise<CourseFigures[]> {
  await up(version);
  const scratch = await mkdtemp(path.join(tmpdir(), 'ecampus-bench-'));
  const runDir = path.resolve(
    'evidence-runs',
    `bench-floor-${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  const categoryId = loadState(version).sites.vert?.categoryid ?? 1;
  const figures: CourseFigures[] = [];
  try {
    for (const course of courses) {
      const mbz = await fetchBackup(course, scratch);
      const cli: number[] = [];
      for (let run = 0; run < runs; run++) cli.push(await cliRestore(mbz, categoryId));
      const robot: Awaited<ReturnType<typeof robotOnce>>[] = [];
      for (let run = 0; run < runs; run++) {
        console.log(`bench: ${course}, robot run ${run + 1}/${runs}`);
        robot.push(await robotOnce(course, runDir, 'first course'));
      }
      const inSession: Awaited<ReturnType<typeof robotOnce>>[] = [];
      for (let run = 0; run < runs; run++) {
        console.log(
          `bench: ${course}, robot run ${run + 1}/${runs} after ${warmUpCourse(course)} in its session`,
        );
        inSession.push(await robotOnce(course, runDir, 'in session'));
      }
      const cliS = spread(cli);
      const robotS = spread(robot.map((r) => r.wallS));
      const stepNames = Object.keys(robot[0]?.steps ?? {});
      figures.push({
        course,
        activities: robot[0]?.activities ?? 0,
        cliRestoreS: cliS,
        robotS,
        robotInSessionS: spread(inSession.map((r) => r.wallS)),
        ratio: Number((robotS.median / cliS.median).toFixed(2)),
        targetS: Number((1.3 * cliS.median + 10).toFixed(1)),
        evidenceShare: spread(robot.map((r) => Number(r.evidenceShare.toFixed(3)))),
        moodleAnswerShare: spread(robot.map((r) => Number(r.moodleAnswerShare.toFixed(3)))),
        stepsS: Object.fromEntries(
          stepNames.map((name) => [
            name,
            Number(spread(robot.map((r) => r.steps[name] ?? 0)).median.toFixed(1)),
          ]),
        ),
      });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await reset(version);

  console.log(
    '\ncourse | activities | CLI restore (s) | robot, first course (s) | robot, in a session (s) | ratio | target (s) | evidence share | Moodle answering',
  );
  for (const f of figures)
    console.log(
      `${f.course} | ${f.activities} | ${f.cliRestoreS.median.toFixed(1)} [${f.cliRestoreS.min.toFixed(1)}-${f.cliRestoreS.max.toFixed(1)}] | ${f.robotS.median.toFixed(1)} [${f.robotS.min.toFixed(1)}-${f.robotS.max.toFixed(1)}] | ${f.robotInSessionS.median.toFixed(1)} [${f.robotInSessionS.min.toFixed(1)}-${f.robotInSessionS.max.toFixed(1)}] | ${f.ratio} | ${f.targetS} | ${(f.evidenceShare.median * 100).toFixed(1)} % | ${(f.moodleAnswerShare.median * 100).toFixed(1)} %`,
    );
  const steps = Object.keys(figures[0]?.stepsS ?? {});
  console.log(`\nstep (median s) | ${figures.map((f) => f.course).join(' | ')}`);
  for (const step of steps) console.log(`${step} | ${figures.map((f) => f.stepsS[step] ?? '-').join(' | ')}`);
  return figures;
}
