import type { Page } from '@playwright/test';
import { psql } from '../../harness/database.js';
import { sitePaths } from '../../harness/paths.js';
import { loadState } from '../../harness/state.js';
import { moodleErrorOn } from '../../pages/restore-stage.js';
import { HARNESS_VERSION, expect, test, type Account } from './moodle-harness.js';

// Our two Moodle plugins hand backups around: who may ask, and what a refused caller gets (nothing).
const vert = sitePaths(HARNESS_VERSION, 'vert');

async function privateBackups(username: string): Promise<number> {
  const sql = `SELECT count(*) FROM mdl_files f JOIN mdl_context c ON c.id = f.contextid JOIN mdl_user u ON u.id = c.instanceid
    WHERE c.contextlevel = 30 AND u.username = '${username}' AND f.component = 'user' AND f.filearea = 'backup' AND f.filename <> '.'`;
  return Number((await psql(sql, vert.database)).trim());
}

async function sesskeyOf(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { M: { cfg: { sesskey: string } } }).M.cfg.sesskey);
}

function account(accounts: Account[], username: string): Account {
  const found = accounts.find((candidate) => candidate.username === username);
  if (!found) throw new Error(`no account ${username}`);
  return found;
}

for (const [who, course, why] of [
  ['student3', 'TRAP-2TEACH', 'a student of the course (no restore capability)'],
  ['teacher2', 'ANG-EC1', 'a teacher of another course'],
] as const) {
  test(`the block's copy refuses ${why}: nothing copied`, async ({ page, harness, loginAs }) => {
    await loginAs(page, 'vert', account(harness.accounts, who));
    const before = await privateBackups(who);
    const courseId = harness.sites.vert.courses[course] ?? 0;
    await page.goto(`${harness.sites.vert.url}/my/`);
    const sesskey = await sesskeyOf(page);
    await page.goto(
      `${harness.sites.vert.url}/blocks/ecampus_restore/fetch.php?courseid=${courseId}&sesskey=${sesskey}`,
    );
    // Moodle's answer: an error page, or the enrolment page for someone not in the course.
    const refused =
      (await moodleErrorOn(page)) !== undefined || new URL(page.url()).pathname.startsWith('/enrol/');
    expect(refused, `landed on ${page.url()}`).toBe(true);
    expect(page.url()).not.toContain('/backup/restorefile.php');
    expect(await privateBackups(who)).toBe(before);
  });
}

test("the block's copy refuses a request without the user's sesskey: nothing copied", async ({
  page,
  harness,
  loginAs,
}) => {
  await loginAs(page, 'vert');
  const before = await privateBackups(harness.teacher);
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  for (const sesskey of ['', 'abcdefghij']) {
    await page.goto(
      `${harness.sites.vert.url}/blocks/ecampus_restore/fetch.php?courseid=${courseId}&sesskey=${sesskey}`,
    );
    expect(await moodleErrorOn(page), `sesskey "${sesskey}"`).toBeDefined();
  }
  expect(await privateBackups(harness.teacher)).toBe(before);
});

test('the bleu companion serves a backup to its token only, and nothing but backups', async ({
  request,
  harness,
}) => {
  const url = `${harness.sites.bleu.url}/local/ecampus_export/latest.php?shortname=ANG-EC1`;
  const token = loadState(HARNESS_VERSION).token;
  for (const headers of [{}, { 'X-Ecampus-Token': 'wrong' }, { 'X-Ecampus-Token': token.slice(0, -1) }]) {
    const answer = await request.get(url, { headers });
    expect(answer.status(), JSON.stringify(Object.keys(headers))).toBe(403);
    expect(await answer.text()).toBe('forbidden');
  }
  // With the token in the query string instead of the header: refused too.
  expect((await request.get(`${url}&token=${encodeURIComponent(token)}`)).status()).toBe(403);
  const served = await request.get(url, { headers: { 'X-Ecampus-Token': token } });
  expect(served.status()).toBe(200);
  // A Moodle backup: a zip ("PK") or a tar.gz (1f 8b).
  expect(['504b', '1f8b']).toContain((await served.body()).subarray(0, 2).toString('hex'));
  // The front page and a course with no automated backup: nothing.
  const frontPage = (
    await psql('SELECT shortname FROM mdl_course WHERE id = 1', sitePaths(HARNESS_VERSION, 'bleu').database)
  ).trim();
  const site = await request.get(
    `${harness.sites.bleu.url}/local/ecampus_export/latest.php?shortname=${encodeURIComponent(frontPage)}`,
    { headers: { 'X-Ecampus-Token': token } },
  );
  expect(site.status()).toBe(404);
  const none = await request.get(
    `${harness.sites.bleu.url}/local/ecampus_export/latest.php?shortname=NO-SUCH-COURSE`,
    {
      headers: { 'X-Ecampus-Token': token },
    },
  );
  expect(none.status()).toBe(404);
});
