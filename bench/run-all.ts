/**
 * `npm run bench`: the robot against Moodle's CLI restore per seeded course, then batch throughput
 * with 1, 2 and 4 workers; one table each on the console and everything in bench/results/<date>.json
 * (<only>-<date>.json with --only, so one part's run does not overwrite the other's figures).
 *
 *   npm run bench -- [--runs 3] [--courses 8] [--workers 1,2,4] [--only floor|throughput]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { status } from '../harness/harness.js';
import type { MoodleVersion } from '../harness/paths.js';
import { describeMachine, measureThroughput } from './batch-throughput.js';
import { measureRestoreFloor } from './restore-floor.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    courses: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1,2,4' },
    only: { type: 'string' },
  },
});

const measuredAt = new Date().toISOString();
const floor =
  values.only === 'throughput'
    ? undefined
    : await measureRestoreFloor(['ANG-EC1', 'HIST-GRP', 'BIO-LARGE'], Number(values.runs));
const throughput =
  values.only === 'floor'
    ? undefined
    : await measureThroughput(Number(values.courses), values.workers.split(',').map(Number));
await mkdir('bench/results', { recursive: true });
const part = values.only ? `${values.only}-` : '';
const file = `bench/results/${part}${measuredAt.slice(0, 10)}.json`;
await writeFile(
  file,
  `${JSON.stringify({ measuredAt, machine: describeMachine(status((process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion).release), runs: Number(values.runs), floor, throughput }, null, 2)}\n`,
);
console.log(`\nbench: written ${file}`);
