import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runBatch } from '../batch/run-batch.js';
import { NO_RESTORE_FLAGS } from '../domain/restore-flags.js';
import { DEMO_COURSES } from './demo-data.js';
import { reset, status, teacherEnvironment, up } from './harness.js';
import type { MoodleVersion } from './paths.js';

/**
 * The main job on the built-in local Moodle: the pair up (installed the first time), back to its
 * seeded state, then a batch over every demo course of vert, traps included, exactly as an admin
 * runs one (`ecampus-restore batch`). Says where the report is and whether each course ended as the
 * demo data expects.
 */
async function demo(): Promise<number> {
  const version = (process.env['MOODLE_VERSION'] ?? '4.5') as MoodleVersion;
  await up(version);
  await reset(version);
  const current = status(version);

  // A fresh ledger per demo: reset has just emptied the courses the last demo restored.
  const demoDir = path.resolve('evidence-runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(demoDir, { recursive: true, mode: 0o700 });
  const courses = DEMO_COURSES.filter((course) => course.sites.includes('vert'));
  const courseList = path.join(demoDir, 'courses.csv');
  await writeFile(
    courseList,
    ['course,note', ...courses.map((course) => `${course.shortname},"expected: ${course.expected}"`)].join(
      '\n',
    ) + '\n',
  );
  Object.assign(process.env, {
    ...teacherEnvironment(current),
    EVIDENCE_DIR: demoDir,
    LEDGER_PATH: path.join(demoDir, 'ledger.sqlite'),
  });
  const workers = Number(process.env['DEMO_WORKERS'] ?? '2');
  console.log(
    `demo: ${courses.length} courses on ${current.sites.vert.url} as ${current.teacher}, ${workers} workers`,
  );
  const result = await runBatch({
    courseList,
    workers,
    retries: 1,
    options: { ...NO_RESTORE_FLAGS },
  });

  const unexpected = courses.filter((course) => {
    const row = result.rows.find((candidate) => candidate.course === course.shortname);
    if (row?.status === course.expected) return false;
    console.log(
      `demo: ${course.shortname} ended ${row?.status ?? 'without an outcome'}, expected ${course.expected} (${course.why})`,
    );
    return true;
  });
  console.log(
    unexpected.length === 0
      ? `demo: every course ended as expected (${courses.map((c) => `${c.shortname} ${c.expected}`).join(', ')})`
      : `demo: ${unexpected.length} course(s) did not end as expected`,
  );
  console.log(
    `demo: open ${path.join(result.runDir, 'index.html')} (Playwright's report: report/index.html)`,
  );
  return unexpected.length === 0 ? 0 : 1;
}

demo().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${(error as Error).message}`);
    process.exit(1);
  },
);
