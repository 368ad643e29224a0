import { reset } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { setBackupWithUsers } from '../../harness/site.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { enrolmentsOf, privateBackupsOf, rolesOf } from './course-people.js';
import { CONTENT_KEYS, courseState } from './course-state.js';
import { HARNESS_VERSION, expect, test, type Account } from './moodle-harness.js';
import { bleuPageOf, runRobot } from './robot-run.js';

// Who runs the restore, and what it does to the course's people: each proven on the server.
test.describe.configure({ mode: 'serial', timeout: 15 * 60_000 });

test.beforeAll(async () => {
  await reset(HARNESS_VERSION);
});
test.afterAll(async () => {
  await reset(HARNESS_VERSION);
});

function account(accounts: readonly Account[], username: string): Account {
  const found = accounts.find((candidate) => candidate.username === username);
  if (!found) throw new Error(`the harness has no account ${username}`);
  return found;
}

test("the teacher's run of a course with a co-teacher and a hand-enrolled student is refused before the block is added", async ({
  page,
  harness,
  loginAs,
}) => {
  const courseId = harness.sites.vert.courses['TRAP-2TEACH'] ?? 0;
  const before = await courseState(courseId);
  await loginAs(page, 'vert');
  const { outcome } = await runRobot(page, harness, 'TRAP-2TEACH');
  expect(outcome).toMatchObject({ status: 'refused', step: 'read the participants' });
  const reason = outcome.status === 'refused' ? outcome.reason : '';
  // Each person by name, role by name and method; who they are, counted as they are.
  expect(reason).toContain('Bruno Petit (Teacher; Manual enrolments)');
  expect(reason).toContain('Emma Moreau (Student; Manual enrolments)');
  expect(reason).toContain('1 teacher and 1 student (Manual enrolments)');
  expect(reason).not.toMatch(/several|role \d/);
  // Nothing changed, nothing fetched: not even the block.
  expect(await courseState(courseId)).toEqual(before);
  expect(before.restoreBlocks).toBe(0);
  expect(await privateBackupsOf(harness.teacher)).toBe(0);
});

test("TRAP-2TEACH restored by the site admin keeps its co-teacher and hand-enrolled student; the admin's private backup area is empty after", async ({
  page,
  harness,
  loginAs,
}) => {
  const admin = account(harness.accounts, 'admin');
  const courseId = harness.sites.vert.courses['TRAP-2TEACH'] ?? 0;
  const enrolments = await enrolmentsOf(courseId);
  const roles = await rolesOf(courseId);
  expect(enrolments).toEqual(['student3:manual', 'teacher1:manual', 'teacher2:manual']);
  await loginAs(page, 'vert', admin);
  const bleuPage = await bleuPageOf(page, harness, 'admin');
  const { outcome } = await runRobot(page, harness, 'TRAP-2TEACH', { bleuPage });
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored', courseId, accessLost: [] });
  expect(outcome.status === 'restored' && outcome.leftBehind).toBeFalsy();
  expect(await enrolmentsOf(courseId)).toEqual(enrolments);
  expect(await rolesOf(courseId)).toEqual(roles);
  expect((await courseState(courseId)).finishedRestores).toBe(1);
  expect(await privateBackupsOf('admin')).toBe(0);
});

test("an admin's run refused at the choice (a backup holding identified users) removes the file the copy added, and the block", async ({
  page,
  harness,
  loginAs,
}) => {
  const admin = account(harness.accounts, 'admin');
  const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
  const before = await courseState(courseId);
  // An admin may restore user data: the block stores the backup, the robot refuses it after reading it.
  await setBackupWithUsers(sitePaths(HARNESS_VERSION, 'bleu'), 'HIST-GRP', 'users');
  try {
    await loginAs(page, 'vert', admin);
    const bleuPage = await bleuPageOf(page, harness, 'admin');
    const { outcome } = await runRobot(page, harness, 'HIST-GRP', { bleuPage });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({
      status: 'refused',
      step: 'choose the backup of this course',
    });
    // The harness names that backup as Moodle does not: refused as "no backup of this course", or,
    // named as Moodle names it, for holding users. Either way the file the copy added is removed.
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/users' data|^no backup of /);
    expect(outcome.status === 'refused' && outcome.leftBehind).toBeFalsy();
    expect(await privateBackupsOf('admin')).toBe(0);
    expect(await courseState(courseId)).toEqual(before);
  } finally {
    await setBackupWithUsers(sitePaths(HARNESS_VERSION, 'bleu'), 'HIST-GRP', 'remove');
  }
});

test('a claim held by a live process survives --force: refused before anything changes', async ({
  page,
  harness,
  loginAs,
}) => {
  const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
  const ledgerPath = test.info().outputPath('ledger.sqlite');
  const running = new SqliteLedger(ledgerPath);
  // This very process holds the claim: alive, as a run pressing Perform right now would be.
  await running.claimBeforePerform({
    courseId,
    courseLabel: 'HIST-GRP',
    backupFile: 'running.mbz',
    runId: 'running-run',
    evidencePath: '/evidence/running-run',
  });
  await running.close();
  const before = await courseState(courseId);
  await loginAs(page, 'vert');
  const { outcome } = await runRobot(page, harness, 'HIST-GRP', { ledgerPath, force: true });
  expect(outcome).toMatchObject({ status: 'refused', step: 'check the ledger' });
  expect(outcome.status === 'refused' && outcome.reason).toContain('--force never takes over a live claim');
  const after = await courseState(courseId);
  for (const key of CONTENT_KEYS) expect(after[key], key).toBe(before[key]);
  const reader = new SqliteLedger(ledgerPath);
  try {
    expect((await reader.status(courseId)).state).toBe('claimed');
    expect((await reader.history(courseId)).map((event) => event.event)).toEqual(['claimed']);
  } finally {
    await reader.close();
  }
});

test(
  'an override run as the teacher restores TRAP-2TEACH and names each loss by person, role and method',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    await reset(HARNESS_VERSION);
    const courseId = harness.sites.vert.courses['TRAP-2TEACH'] ?? 0;
    await loginAs(page, 'vert');
    const ledgerPath = test.info().outputPath('ledger.sqlite');
    const { outcome } = await runRobot(page, harness, 'TRAP-2TEACH', {
      allowEnrolmentLoss: true,
      ledgerPath,
    });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored', courseId });
    const lost = outcome.status === 'restored' ? (outcome.accessLost ?? []) : [];
    expect(
      lost.map((loss) => [loss.user.fullname, loss.lostRoles, loss.lostEnrolments, loss.lostAccess]),
    ).toEqual([
      ['Bruno Petit', ['Teacher'], ['Manual enrolments'], true],
      ['Emma Moreau', ['Student'], ['Manual enrolments'], true],
    ]);
    expect(await enrolmentsOf(courseId)).toEqual(['teacher1:manual']);
    const reader = new SqliteLedger(ledgerPath);
    try {
      const status = await reader.status(courseId);
      expect(status.state === 'restored' && status.record.reason).toBe(
        'lost access: Bruno Petit (Teacher; Manual enrolments), Emma Moreau (Student; Manual enrolments)',
      );
    } finally {
      await reader.close();
    }
    expect(await privateBackupsOf(harness.teacher)).toBe(0);
  },
);
