import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/env.js';
import type { RestoreOutcome } from '../robots/restore-course.js';
import { restoreCourses, type CourseOrder } from '../robots/restore-session.js';
import { DEMO_COURSES } from './demo-data.js';
import { reset, status, up } from './harness.js';
import type { MoodleVersion } from './paths.js';

/**
 * The main job on the built-in local Moodle: the pair up (installed the first time), back to its
 * seeded state, then every demo course of vert restored as the procedure says, traps included.
 * Prints one line per course and where the results are.
 */
async function demo(): Promise<number> {
  const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;
  await up(version);
  await reset(version);
  const current = status(version);
  const teacher = current.accounts.find((account) => account.username === current.teacher);
  if (!teacher) throw new Error('the harness names no teacher');
  const runDir = path.resolve('evidence-runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  const config = loadConfig({
    env: {
      ...process.env,
      VERT_URL: current.sites.vert.url,
      BLEU_URL: current.sites.bleu.url,
      MOODLE_USERNAME: teacher.username,
      MOODLE_PASSWORD: teacher.password,
      MOODLE_STORAGE_STATE: '',
      EVIDENCE_DIR: runDir,
      LEDGER_PATH: path.join(runDir, 'ledger.sqlite'),
    },
  });
  const courses = DEMO_COURSES.filter((course) => course.sites.includes('vert'));
  const orders: CourseOrder[] = courses.map((course) => ({
    target: { kind: 'shortname', shortname: course.shortname },
    label: course.shortname,
  }));
  console.log(`demo: restoring ${orders.length} courses on ${config.vertUrl} as ${teacher.username}`);
  const results = await restoreCourses(config, orders, {
    onOutcome: (order, outcome) => {
      console.log(`  ${order.label}: ${outcome.status}${'reason' in outcome ? ` (${outcome.reason})` : ''}`);
    },
  });
  const rows = results.map((result) => {
    const expected = courses.find((course) => course.shortname === result.course);
    return {
      course: result.course,
      status: result.outcome.status,
      expected: expected?.expected,
      why: expected?.why,
      reason: reasonOf(result.outcome),
      evidence: result.evidenceDir,
    };
  });
  await writeFile(path.join(runDir, 'summary.json'), `${JSON.stringify(rows, null, 2)}\n`, { mode: 0o600 });
  const unexpected = rows.filter((row) => row.status !== row.expected);
  console.log(`demo: results in ${runDir} (summary.json, one evidence folder per course)`);
  for (const row of unexpected)
    console.log(`demo: ${row.course} ended ${row.status}, expected ${row.expected ?? '?'}`);
  return unexpected.length === 0 ? 0 : 1;
}

function reasonOf(outcome: RestoreOutcome): string {
  return 'reason' in outcome ? outcome.reason : '';
}

demo().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${(error as Error).message}`);
    process.exit(1);
  },
);
