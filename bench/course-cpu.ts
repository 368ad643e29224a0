/**
 * Where one course's CPU goes on the robot's side: the course restored as the second of a running
 * session (in this process, as `ecampus-restore run` does), Chromium's processes and this one sampled
 * every 100 ms; their CPU is then shared out by step (the evidence manifest's times), by the
 * screenshots' captures, and counted against the Moodle pages the course loaded. Then the same browser
 * flags load a few of those pages with nothing else done: what one Moodle page costs Chromium, the
 * floor under a robot that sees the pages a person sees.
 *
 *   MOODLE_VERSION=4.5 npx tsx bench/course-cpu.ts [--course ANG-EC1] [--loads 8] [--label after]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';
import { loadConfig } from '../config/env.js';
import type { Manifest } from '../evidence/recorder.js';
import { reset, status, teacherEnvironment, up } from '../harness/harness.js';
import type { MoodleVersion } from '../harness/paths.js';
import { commandLine, descendants, TreeCpuSampler } from '../harness/process-tree.js';
import { LoginPage } from '../pages/login-page.js';
import { waitForMoodleReady } from '../pages/moodle-page.js';
import { chromiumLaunchOptions, ROBOT_CONTEXT } from '../session/browser.js';
import { restoreCourses } from '../session/restore-session.js';

const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;
const { values } = parseArgs({
  options: {
    course: { type: 'string', default: 'ANG-EC1' },
    loads: { type: 'string', default: '8' },
    label: { type: 'string', default: '' },
  },
});
const course = values.course;
const warmUp = course === 'HIST-GRP' ? 'ANG-EC1' : 'HIST-GRP';

type ByKind = Record<string, number>;

/** The robot's side: Chromium's processes and this one (not Moodle's cron, a reset's child). */
function robotProcesses(): number[] {
  return [process.pid, ...descendants(process.pid).filter((pid) => commandLine(pid).includes('chrom'))];
}

/** Readings of the robot's CPU by kind of process, in time. */
class CpuTimeline {
  readonly readings: { at: number; byKind: ByKind }[] = [];
  private readonly sampler = new TreeCpuSampler();
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.timer = setInterval(() => {
      this.read();
    }, 100);
  }

  stop(): void {
    clearInterval(this.timer);
    this.read();
  }

  private read(): void {
    this.sampler.sample(robotProcesses());
    this.readings.push({ at: Date.now(), byKind: this.sampler.byKindSeconds(3) });
  }

  /** CPU used between two moments, by kind (the nearest readings). */
  between(from: number, to: number): ByKind {
    const nearest = (at: number) =>
      this.readings.reduce((best, each) => (Math.abs(each.at - at) < Math.abs(best.at - at) ? each : best));
    const before = nearest(from).byKind;
    const after = nearest(to).byKind;
    return Object.fromEntries(
      Object.keys(after).map((kind) => [kind, (after[kind] ?? 0) - (before[kind] ?? 0)]),
    );
  }
}

const total = (byKind: ByKind) => Object.values(byKind).reduce((sum, value) => sum + value, 0);
const shown = (byKind: ByKind) =>
  Object.entries(byKind)
    .filter(([, seconds]) => seconds >= 0.01)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, seconds]) => `${kind.replace(/^chromium: /, '')} ${seconds.toFixed(2)}`)
    .join(', ');
function add(into: ByKind, more: ByKind): void {
  for (const [kind, seconds] of Object.entries(more)) into[kind] = (into[kind] ?? 0) + seconds;
}

/** Counts the documents vert and bleu send to the course's pages (main frames only). */
function countDocuments(page: Page, loads: { at: number; url: string }[]): void {
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().startsWith('http'))
      loads.push({ at: Date.now(), url: frame.url() });
  });
}

const scratch = path.resolve('evidence-runs', `bench-course-cpu-${Date.now()}`);
const config = loadConfig({
  env: {
    ...process.env,
    ...teacherEnvironment(status(version)),
    EVIDENCE_DIR: scratch,
    LEDGER_PATH: path.join(scratch, 'ledger.sqlite'),
    LOG_LEVEL: 'warn',
  },
});

async function oneCourse() {
  await reset(version);
  const documents: { at: number; url: string }[] = [];
  const timeline = new CpuTimeline();
  timeline.start();
  const results = await restoreCourses(
    config,
    [warmUp, course].map((shortname) => ({
      target: { kind: 'shortname' as const, shortname },
      label: shortname,
    })),
    {
      onContext: (context) => {
        for (const page of context.pages()) countDocuments(page, documents);
        context.on('page', (page) => {
          countDocuments(page, documents);
        });
      },
    },
  );
  timeline.stop();
  const result = results.at(-1);
  if (result?.outcome.status !== 'restored') throw new Error(`${course}: ${JSON.stringify(result?.outcome)}`);
  const manifest = JSON.parse(
    await readFile(path.join(result.evidenceDir, 'manifest.json'), 'utf8'),
  ) as Manifest;
  const from = Date.parse(manifest.steps[0]?.startedAt ?? '');
  const to = Date.parse(manifest.steps.at(-1)?.endedAt ?? '');
  const captures: ByKind = {};
  let captureMs = 0;
  for (const shot of manifest.screenshots) {
    if (shot.unchangedSince !== undefined || shot.captureMs === undefined) continue;
    const end = Date.parse(shot.capturedAt);
    add(captures, timeline.between(end - shot.captureMs, end));
    captureMs += shot.captureMs;
  }
  return {
    wallS: (to - from) / 1000,
    cpu: timeline.between(from, to),
    captures: { wallS: captureMs / 1000, cpu: captures, shots: manifest.screenshots.length },
    documents: documents.filter((load) => load.at >= from && load.at <= to).map((load) => load.url),
    steps: manifest.steps.map((step) => ({
      step: step.step,
      wallS: step.durationMs / 1000,
      cpu: timeline.between(Date.parse(step.startedAt), Date.parse(step.endedAt)),
    })),
  };
}

/** Chromium's CPU for one Moodle page loaded and ready, nothing else done (median over `rounds`). */
async function bareLoads(rounds: number) {
  const { sites, accounts, teacher: teacherName } = status(version);
  // The account the course was restored with.
  const teacher = accounts.find((account) => account.username === teacherName);
  if (teacher === undefined) throw new Error(`the harness has no ${teacherName}`);
  const browser = await chromium.launch(chromiumLaunchOptions(config.chromiumPath, true));
  const page = await (await browser.newContext(ROBOT_CONTEXT)).newPage();
  const login = new LoginPage({ page, url: sites.vert.url });
  await login.goto();
  await login.submitCredentials(teacher.username, teacher.password);
  const courseId = sites.vert.courses[course] ?? 0;
  const addresses = [`/course/view.php?id=${courseId}`, `/user/index.php?id=${courseId}&perpage=5000`];
  const sampler = new TreeCpuSampler();
  const perLoad: number[] = [];
  for (let round = 0; round < rounds + 1; round++)
    for (const address of addresses) {
      sampler.sample(robotProcesses());
      const before = total(sampler.byKindSeconds(3));
      await page.goto(`${sites.vert.url}${address}`);
      await waitForMoodleReady(page);
      sampler.sample(robotProcesses());
      // The first round fills the browser's cache, as a session's first course does.
      if (round > 0) perLoad.push(total(sampler.byKindSeconds(3)) - before);
    }
  await browser.close();
  const sorted = perLoad.sort((a, b) => a - b);
  return { loads: sorted.length, medianCpuS: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

await up(version);
const measured = await oneCourse();
const bare = await bareLoads(Number(values.loads));
const courseCpu = total(measured.cpu);
console.log(
  `\n${course} after ${warmUp}, Moodle ${version}: ${measured.wallS.toFixed(1)} s, the robot's CPU ${courseCpu.toFixed(1)} s (${shown(measured.cpu)})`,
);
console.log(
  `screenshots: ${measured.captures.shots} (${measured.captures.wallS.toFixed(1)} s), CPU ${total(measured.captures.cpu).toFixed(1)} s (${shown(measured.captures.cpu)})`,
);
console.log(
  `Moodle documents loaded: ${measured.documents.length}; one page loaded with nothing else done costs Chromium and this process ${bare.medianCpuS.toFixed(2)} CPU-s (median of ${bare.loads})`,
);
console.log(
  `floor: ${measured.documents.length} loads × ${bare.medianCpuS.toFixed(2)} + the screenshots' ${total(measured.captures.cpu).toFixed(1)} = ${(measured.documents.length * bare.medianCpuS + total(measured.captures.cpu)).toFixed(1)} CPU-s`,
);
console.log('\nstep | wall (s) | CPU (s) | by kind');
for (const step of measured.steps)
  console.log(`${step.step} | ${step.wallS.toFixed(1)} | ${total(step.cpu).toFixed(2)} | ${shown(step.cpu)}`);
const out = path.join(
  'bench',
  'results',
  `course-cpu-${new Date().toISOString().slice(0, 10)}-${version}${values.label ? `-${values.label}` : ''}.json`,
);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), version, course, measured, bare }, null, 2)}\n`,
);
console.log(`\nbench: written ${out}`);
