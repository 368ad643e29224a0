import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { reset, type HarnessStatus } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { php, startWebServer, stopWebServer } from '../../harness/site.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { CLI, cliEnvironment } from './cli-run.js';

// The mistakes and outages a person meets, for real on the harness: each ends with one line naming
// the site, the cause and what to do, exit 1, evidence of the page, and the stack in the run's log only.
test.describe.configure({ mode: 'serial' });
const vert = sitePaths(HARNESS_VERSION, 'vert');
const bleu = sitePaths(HARNESS_VERSION, 'bleu');
test.afterAll(async () => {
  await php(vert, 'admin/cli/maintenance.php', ['--disable']);
  await startWebServer(vert);
  await startWebServer(bleu);
  await reset(HARNESS_VERSION);
});

function ecampusRestore(harness: HarnessStatus, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = test.info().outputPath();
  const teacher = harness.accounts.find((account) => account.username === harness.teacher);
  if (!teacher) throw new Error('no teacher account');
  const cli = spawnSync(CLI[0], [...CLI.slice(1), ...args], {
    env: { ...cliEnvironment(harness, teacher, dir), ...env },
    encoding: 'utf8',
  });
  return { code: cli.status, out: `${cli.stdout}${cli.stderr}`, evidenceRoot: path.join(dir, 'evidence') };
}

/** The run's one line, and its evidence: a screenshot of the page that was open, the stack in run.log. */
function expectOneLineStop(cli: ReturnType<typeof ecampusRestore>, line: RegExp) {
  expect(cli.code, cli.out).toBe(1);
  expect(cli.out).toMatch(line);
  expect(cli.out.match(line)?.length, 'said once').toBe(1);
  expect(cli.out, 'no stack on the console').not.toMatch(/^\s+at /m);
  const evidence = /\[evidence: (.+)\]/.exec(cli.out)?.[1];
  expect(evidence, cli.out).toBeDefined();
  const files = readdirSync(evidence ?? '');
  expect(
    files.some((file) => file.endsWith('.png')),
    files.join(', '),
  ).toBe(true);
  expect(readFileSync(path.join(evidence ?? '', 'run.log'), 'utf8')).toContain('"msg":"stack"');
}

test('a wrong password stops the run before any course, once, naming the site and what to check', ({
  harness,
}) => {
  const cli = ecampusRestore(harness, ['restore', 'ANG-EC1', 'HIST-GRP'], {
    MOODLE_PASSWORD: 'Not-The-Password-42',
  });
  expectOneLineStop(cli, /vert refused the login of teacher1 .*check MOODLE_USERNAME and MOODLE_PASSWORD/g);
  expect(cli.out).not.toContain('Not-The-Password-42');
  expect(cli.out).not.toMatch(/ANG-EC1:|HIST-GRP:/);
});

test('a batch with a wrong password stops at start, once, and runs no course', async ({ harness }) => {
  const list = test.info().outputPath('courses.csv');
  await writeFile(list, 'course\nANG-EC1\nHIST-GRP\n');
  const cli = ecampusRestore(harness, ['batch', list], { MOODLE_PASSWORD: 'Not-The-Password-42' });
  expectOneLineStop(cli, /vert refused the login of teacher1/g);
  expect(cli.out).not.toMatch(/will retry|not run/);
});

test('a closed port: "bleu is unreachable", with its address', ({ harness }) => {
  const cli = ecampusRestore(harness, ['restore', 'ANG-EC1'], { BLEU_URL: 'http://127.0.0.1:8099' });
  expectOneLineStop(
    cli,
    /bleu is unreachable: nothing answers at http:\/\/127\.0\.0\.1:8099 \(ERR_CONNECTION_REFUSED\): check BLEU_URL/g,
  );
});

test('a stopped site: vert is unreachable', async ({ harness }) => {
  stopWebServer(vert);
  try {
    const cli = ecampusRestore(harness, ['restore', 'ANG-EC1']);
    expectOneLineStop(
      cli,
      /vert is unreachable: nothing answers at http:\/\/127\.0\.0\.1:\d+ .*check VERT_URL/g,
    );
  } finally {
    await startWebServer(vert);
  }
});

test("maintenance mode, set with Moodle's CLI, is said as such", async ({ harness }) => {
  await php(vert, 'admin/cli/maintenance.php', ['--enable']);
  try {
    const cli = ecampusRestore(harness, ['restore', 'ANG-EC1']);
    expectOneLineStop(cli, /vert is in maintenance mode at http:\/\/127\.0\.0\.1:\d+: wait until/g);
  } finally {
    await php(vert, 'admin/cli/maintenance.php', ['--disable']);
  }
});

test('a release other than the configured one is its own step, before any course', ({ harness }) => {
  const other = HARNESS_VERSION === '5.0' ? '4.5' : '5.0';
  const cli = ecampusRestore(harness, ['restore', 'ANG-EC1'], { MOODLE_VERSION: other });
  expectOneLineStop(
    cli,
    new RegExp(`vert runs Moodle ${HARNESS_VERSION}, not the Moodle ${other} configured`, 'g'),
  );
  expect(cli.out).not.toContain('check the ledger');
});

test('an unreadable ledger stops the run before the browser, naming the file', async ({ harness }) => {
  const ledger = test.info().outputPath('not-a-ledger.sqlite');
  await writeFile(ledger, 'course,note\n'.repeat(500));
  const cli = ecampusRestore(harness, ['restore', 'ANG-EC1'], { LEDGER_PATH: ledger });
  expect(cli.code, cli.out).toBe(1);
  expect(cli.out).toMatch(
    /the ledger is unreadable at .*not-a-ledger\.sqlite: the file is not an SQLite database/,
  );
  expect(cli.out).not.toMatch(/^\s+at /m);
  expect(existsSync(ledger)).toBe(true);
});
