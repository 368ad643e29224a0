/**
 * Batch throughput: the same batch of course pairs restored with 1, 2 and 4 workers, each from the
 * seeded state plus `--courses` added pairs like ANG-EC1 (forum, page, URL, file, assignment, quiz,
 * label), each run as an admin runs it (`npx ecampus-restore batch`, the JavaScript build). Prints
 * courses per minute, wall time, the robot's peak memory (the command's whole process tree: the
 * command, Playwright's runner and workers, Chromium) and its CPU by kind of process, the median
 * page-step time, which shows where the server saturates, and the CPU time a course costs the robot
 * and the rest of the machine (Moodle, PostgreSQL).
 *
 *   npx tsx bench/batch-throughput.ts [--courses 8] [--workers 1,2,4]
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SummaryRow } from '../batch/summary.js';
import type { Manifest } from '../evidence/recorder.js';
import { addCoursePairs } from '../harness/course-pairs.js';
import { reset, status, teacherEnvironment, up } from '../harness/harness.js';
import type { MoodleVersion } from '../harness/paths.js';
import { clockTicksPerSecond, descendants, memoryOf, TreeCpuSampler } from '../harness/process-tree.js';

const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;

/** Busy and total CPU time of the whole machine so far (jiffies, from /proc/stat). */
function cpuTimes(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function once(workers: number, courseCount: number, dir: string) {
  await reset(version);
  const names = Array.from({ length: courseCount }, (_, i) => `BENCH-${String(i + 1).padStart(2, '0')}`);
  await addCoursePairs(version, names);
  const workersDir = path.join(dir, `workers-${workers}`);
  await mkdir(workersDir, { recursive: true });
  const list = path.join(workersDir, 'courses.csv');
  await writeFile(list, ['course', ...names].join('\n') + '\n');
  process.env['EVIDENCE_DIR'] = workersDir;
  process.env['LEDGER_PATH'] = path.join(workersDir, 'ledger.sqlite');

  let peak = 0;
  let peakByKind: Record<string, number> = {};
  // The robot is what an admin starts: the command, its Playwright runner, workers and Chromium. Not
  // this process, nor Moodle's cron, which a reset started as its child.
  const started = Date.now();
  const cpuBefore = cpuTimes();
  const command = spawn(
    process.execPath,
    [
      path.resolve('dist/bin/ecampus-restore.js'),
      'batch',
      list,
      '--workers',
      String(workers),
      '--retries',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let said = '';
  command.stdout.on('data', (chunk: Buffer) => {
    said += chunk.toString();
    process.stdout.write(chunk);
  });
  const cpu = new TreeCpuSampler();
  const sampler = setInterval(() => {
    if (command.pid === undefined) return;
    const tree = [command.pid, ...descendants(command.pid)];
    cpu.sample(tree);
    const { totalMiB, byKindMiB } = memoryOf(tree);
    if (totalMiB <= peak) return;
    peak = totalMiB;
    peakByKind = byKindMiB;
  }, 500);
  await new Promise((resolve) => command.on('exit', resolve));
  clearInterval(sampler);
  const runDir = /^batch folder: (.+)$/m.exec(said)?.[1];
  if (runDir === undefined) throw new Error('the batch did not say where its folder is');
  const rows = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as SummaryRow[];
  const wallS = (Date.now() - started) / 1000;
  const cpuAfter = cpuTimes();
  // Each of the robot's processes, read while it ran. Not the command's children's time once it has
  // ended (what this bench read until 7 December): Chromium's renderers and GPU process are not waited
  // for by the processes that started them, and their time was lost (about a third of the robot's).
  const robotCpuByKind = cpu.byKindSeconds();
  const robotCpuS = Object.values(robotCpuByKind).reduce((sum, seconds) => sum + seconds, 0);
  const busyJiffies = cpuAfter.busy - cpuBefore.busy;
  const machineCpuS = busyJiffies / clockTicksPerSecond();
  // How busy the machine's CPUs were (the robot and both Moodle sites share them): 100 % is saturated.
  const machineCpuBusy = busyJiffies / Math.max(1, cpuAfter.total - cpuBefore.total);

  const restored = rows.filter((row) => row.status === 'restored').length;
  const stepMs = rows.flatMap((row) => {
    if (!row.evidence) return [];
    const manifest = JSON.parse(readFileSync(path.join(row.evidence, 'manifest.json'), 'utf8')) as Manifest;
    return manifest.steps.map((step) => step.durationMs);
  });
  const perCourseS = rows
    .filter((row) => row.startedAt && row.endedAt)
    .map((row) => (Date.parse(row.endedAt) - Date.parse(row.startedAt)) / 1000);
  return {
    workers,
    courses: courseCount,
    restored,
    statuses: rows.map((row) => row.status),
    wallS: Math.round(wallS),
    coursesPerMinute: Number(((restored / wallS) * 60).toFixed(2)),
    medianCourseS: Math.round(median(perCourseS)),
    medianStepMs: median(stepMs),
    peakRobotMemoryMiB: peak,
    /** At the peak: PSS by kind of process. */
    peakMemoryByKindMiB: peakByKind,
    machineCpuBusyPercent: Math.round(machineCpuBusy * 100),
    /** CPU seconds per restored course: the robot (runner, workers, Chromium), and the rest of the machine (both Moodle sites, PostgreSQL, cron). */
    robotCpuSPerCourse: Number((robotCpuS / Math.max(1, restored)).toFixed(1)),
    /** The robot's CPU seconds by kind of process, over the whole batch (sampled every half second). */
    robotCpuSByKind: robotCpuByKind,
    serverCpuSPerCourse: Number(((machineCpuS - robotCpuS) / Math.max(1, restored)).toFixed(1)),
  };
}

/** "kind figure, kind figure…", the largest first. */
function largestFirst(byKind: Record<string, number>): string {
  return Object.entries(byKind)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, figure]) => `${kind} ${figure}`)
    .join(', ');
}

export type ThroughputResult = Awaited<ReturnType<typeof once>>;

/** Runs the batch with each worker count; prints a table; returns the figures. */
/** The command as `npm ci` installs it (`npx ecampus-restore`): the JavaScript build of this tree. */
function buildTheCommand(): void {
  execFileSync(
    process.execPath,
    [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      stdio: 'inherit',
    },
  );
}

export async function measureThroughput(
  courseCount: number,
  workerCounts: readonly number[],
): Promise<ThroughputResult[]> {
  buildTheCommand();
  await up(version);
  Object.assign(process.env, teacherEnvironment(status(version)));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.resolve('evidence-runs', `bench-throughput-${stamp}`);
  const results = [];
  for (const workers of workerCounts) {
    console.log(`bench: ${courseCount} courses with ${workers} worker(s)...`);
    results.push(await once(workers, courseCount, dir));
  }
  await reset(version);

  const base = results.find((r) => r.workers === 1)?.coursesPerMinute ?? 0;
  console.log(
    '\nworkers | restored | wall (s) | courses/min | speed-up | median course (s) | median step (ms) | peak robot memory (MiB) | machine CPU busy',
  );
  for (const r of results)
    console.log(
      `${r.workers} | ${r.restored}/${r.courses} | ${r.wallS} | ${r.coursesPerMinute} | ${base ? (r.coursesPerMinute / base).toFixed(2) : '-'} | ${r.medianCourseS} | ${r.medianStepMs} | ${r.peakRobotMemoryMiB} | ${r.machineCpuBusyPercent} %`,
    );
  console.log(
    '\nCPU seconds per course | robot | Moodle and the rest | courses/min if the CPUs were the only limit',
  );
  for (const r of results) {
    const ceiling = (60 * cpus().length) / Math.max(0.1, r.robotCpuSPerCourse + r.serverCpuSPerCourse);
    console.log(
      `${r.workers} worker(s) | ${r.robotCpuSPerCourse} | ${r.serverCpuSPerCourse} | ${ceiling.toFixed(1)}`,
    );
  }
  console.log("\nthe robot's CPU seconds by kind of process, whole batch");
  for (const r of results) console.log(`${r.workers} worker(s): ${largestFirst(r.robotCpuSByKind)}`);
  console.log('\npeak memory by kind of process (PSS, MiB)');
  for (const r of results) console.log(`${r.workers} worker(s): ${largestFirst(r.peakMemoryByKindMiB)}`);
  return results;
}

export function describeMachine(release: string | undefined) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    chromium: execFileSync('/usr/bin/chromium', ['--version']).toString().trim(),
    moodle: release,
    webServer: process.env['HARNESS_WEB_SERVER'] ?? 'php -S',
  };
}

async function main() {
  const { values } = parseArgs({
    options: { courses: { type: 'string', default: '8' }, workers: { type: 'string', default: '1,2,4' } },
  });
  const results = await measureThroughput(Number(values.courses), values.workers.split(',').map(Number));
  const stamp = new Date().toISOString();
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/batch-throughput-${stamp.slice(0, 10)}.json`;
  await writeFile(
    file,
    `${JSON.stringify({ measuredAt: stamp, machine: describeMachine(status(version).release), results }, null, 2)}\n`,
  );
  console.log(`\nbench: written ${file}`);
}

if (import.meta.filename === process.argv[1])
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
