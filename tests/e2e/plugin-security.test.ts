import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Page } from '@playwright/test';
import { psql } from '../../harness/database.js';
import { sitePaths } from '../../harness/paths.js';
import { setBackupWithUsers, setConfig, setCourseProhibition, setCourseRole } from '../../harness/site.js';
import { loadState } from '../../harness/state.js';
import { moodleErrorOn } from '../../pages/restore-stage.js';
import { HARNESS_VERSION, expect, test, type Account } from './moodle-harness.js';

// Our two Moodle plugins hand backups around: who may ask, and what a refused caller gets (nothing).
const vert = sitePaths(HARNESS_VERSION, 'vert');
const bleu = sitePaths(HARNESS_VERSION, 'bleu');
const LATEST = '/local/ecampus_export/latest.php';

async function newestFileId(): Promise<number> {
  return Number((await psql('SELECT coalesce(max(id), 0) FROM mdl_files', vert.database)).trim());
}

/** Backups stored in the user's private backup area since the file id given (a replaced file counts). */
async function storedSince(username: string, sinceId: number): Promise<number> {
  const sql = `SELECT count(*) FROM mdl_files f JOIN mdl_context c ON c.id = f.contextid JOIN mdl_user u ON u.id = c.instanceid
    WHERE c.contextlevel = 30 AND u.username = '${username}' AND f.component = 'user' AND f.filearea = 'backup'
    AND f.filename <> '.' AND f.id > ${sinceId}`;
  return Number((await psql(sql, vert.database)).trim());
}

/** Takes away the backups a test stored (their file records). */
async function forgetStoredSince(sinceId: number): Promise<void> {
  await psql(
    `DELETE FROM mdl_files WHERE id > ${sinceId} AND component = 'user' AND filearea = 'backup'`,
    vert.database,
  );
}

async function newestLogId(database: string): Promise<number> {
  return Number((await psql('SELECT coalesce(max(id), 0) FROM mdl_logstore_standard_log', database)).trim());
}

/** Our plugin's events logged on a site since the log id given: their short event name and `other`. */
async function eventsSince(
  database: string,
  component: string,
  sinceId: number,
): Promise<{ event: string; other: Record<string, string> }[]> {
  const rows = await psql(
    `SELECT eventname || '|' || other FROM mdl_logstore_standard_log
      WHERE component = '${component}' AND id > ${sinceId} ORDER BY id`,
    database,
  );
  return rows
    .split('\n')
    .filter((row) => row !== '')
    .map((row) => {
      const bar = row.indexOf('|');
      return {
        event: row.slice(0, bar).split('\\').pop() ?? '',
        other: JSON.parse(row.slice(bar + 1)) as Record<string, string>,
      };
    });
}

async function sesskeyOf(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { M: { cfg: { sesskey: string } } }).M.cfg.sesskey);
}

function account(accounts: Account[], username: string): Account {
  const found = accounts.find((candidate) => candidate.username === username);
  if (!found) throw new Error(`no account ${username}`);
  return found;
}

/** What the block's link does (fetch.php with the user's sesskey): the Moodle error shown, if any. */
async function fetchThroughBlock(page: Page, vertUrl: string, courseId: number): Promise<string | undefined> {
  await page.goto(`${vertUrl}/my/`);
  const sesskey = await sesskeyOf(page);
  await page.goto(`${vertUrl}/blocks/ecampus_restore/fetch.php?courseid=${courseId}&sesskey=${sesskey}`);
  return moodleErrorOn(page);
}

function askBleu(
  request: APIRequestContext,
  bleuUrl: string,
  shortname: string,
  identity: { username?: string; idnumber?: string } = {},
) {
  const headers: Record<string, string> = { 'X-Ecampus-Token': loadState(HARNESS_VERSION).token };
  if (identity.username !== undefined) headers['X-Ecampus-Username'] = encodeURIComponent(identity.username);
  if (identity.idnumber !== undefined) headers['X-Ecampus-Idnumber'] = encodeURIComponent(identity.idnumber);
  return request.get(`${bleuUrl}${LATEST}?shortname=${encodeURIComponent(shortname)}`, { headers });
}

for (const [who, course, why] of [
  ['student3', 'TRAP-2TEACH', 'a student of the course (no restore capability)'],
  ['teacher2', 'ANG-EC1', 'a teacher of another course'],
] as const) {
  test(`the block's copy refuses ${why}: nothing copied`, async ({ page, harness, loginAs }) => {
    await loginAs(page, 'vert', account(harness.accounts, who));
    const since = await newestFileId();
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
    expect(await storedSince(who, since)).toBe(0);
  });
}

test("the block's copy refuses a request without the user's sesskey: nothing copied", async ({
  page,
  harness,
  loginAs,
}) => {
  await loginAs(page, 'vert');
  const since = await newestFileId();
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  for (const sesskey of ['', 'abcdefghij']) {
    await page.goto(
      `${harness.sites.vert.url}/blocks/ecampus_restore/fetch.php?courseid=${courseId}&sesskey=${sesskey}`,
    );
    expect(await moodleErrorOn(page), `sesskey "${sesskey}"`).toBeDefined();
  }
  expect(await storedSince(harness.teacher, since)).toBe(0);
});

test('the bleu companion serves a backup to its token only, and nothing but backups', async ({
  request,
  harness,
}) => {
  const url = `${harness.sites.bleu.url}${LATEST}?shortname=ANG-EC1`;
  const token = loadState(HARNESS_VERSION).token;
  const teacher = { 'X-Ecampus-Username': harness.teacher };
  for (const headers of [
    teacher,
    { ...teacher, 'X-Ecampus-Token': 'wrong' },
    { ...teacher, 'X-Ecampus-Token': token.slice(0, -1) },
  ]) {
    const answer = await request.get(url, { headers });
    expect(answer.status(), JSON.stringify(Object.keys(headers))).toBe(403);
    expect(await answer.text()).toBe('forbidden');
  }
  // With the token in the query string instead of the header: refused too.
  expect(
    (await request.get(`${url}&token=${encodeURIComponent(token)}`, { headers: teacher })).status(),
  ).toBe(403);
  const served = await askBleu(request, harness.sites.bleu.url, 'ANG-EC1', { username: harness.teacher });
  expect(served.status()).toBe(200);
  // A Moodle backup: a zip ("PK") or a tar.gz (1f 8b).
  expect(['504b', '1f8b']).toContain((await served.body()).subarray(0, 2).toString('hex'));
  // The front page and a course with no automated backup: nothing.
  const frontPage = (await psql('SELECT shortname FROM mdl_course WHERE id = 1', bleu.database)).trim();
  const site = await askBleu(request, harness.sites.bleu.url, frontPage, { username: 'admin' });
  expect(site.status()).toBe(404);
  const none = await askBleu(request, harness.sites.bleu.url, 'NO-SUCH-COURSE', { username: 'admin' });
  expect(none.status()).toBe(404);
});

test("bleu serves a course's backup to its editing teacher (present or past) or an admin only, each answer logged", async ({
  request,
  harness,
}) => {
  const bleuUrl = harness.sites.bleu.url;
  const since = await newestLogId(bleu.database);
  // teacher2 teaches HIST-GRP on bleu, not ANG-EC1; teacher1 teaches both, his HIST-GRP enrolment ended
  // (suspended: the role stays); teacher1 has an ID number, the identity of a renamed account.
  await setCourseRole(bleu, {
    shortname: 'HIST-GRP',
    username: 'teacher2',
    role: 'editingteacher',
    assigned: true,
  });
  const teacher1Enrolment = `(SELECT ue.id FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid
    JOIN mdl_course c ON c.id = e.courseid JOIN mdl_user u ON u.id = ue.userid
    WHERE c.shortname = 'HIST-GRP' AND u.username = 'teacher1')`;
  await psql(`UPDATE mdl_user_enrolments SET status = 1 WHERE id IN ${teacher1Enrolment}`, bleu.database);
  await psql("UPDATE mdl_user SET idnumber = 'T-0001' WHERE username = 'teacher1'", bleu.database);
  try {
    const cases: [string, { username?: string; idnumber?: string }, number, string?][] = [
      ['ANG-EC1', {}, 403, 'noidentity'],
      ['ANG-EC1', { username: 'nobody-here' }, 403, 'unknownuser'],
      ['ANG-EC1', { username: 'student1' }, 403, 'notteacher'],
      ['ANG-EC1', { username: 'teacher2' }, 403, 'notteacher'],
      ['HIST-GRP', { username: 'teacher2' }, 200],
      ['HIST-GRP', { username: 'teacher1' }, 200],
      ['ANG-EC1', { username: 'admin' }, 200],
      ['ANG-EC1', { username: 'teacher1', idnumber: 'T-9999' }, 403, 'identitymismatch'],
      ['ANG-EC1', { username: 'teacher1.renamed', idnumber: 'T-0001' }, 200],
    ];
    for (const [shortname, identity, status, reason] of cases) {
      const answer = await askBleu(request, bleuUrl, shortname, identity);
      const label = `${shortname} for ${JSON.stringify(identity)}`;
      expect(answer.status(), label).toBe(status);
      expect(answer.headers()['x-ecampus-refusal'], label).toBe(reason);
      if (reason) expect((await answer.text()).length, label).toBeGreaterThan(20);
    }
    const logged = await eventsSince(bleu.database, 'local_ecampus_export', since);
    expect(
      logged.map(({ event, other }) => [event, other['shortname'], other['username'], other['reason']]),
    ).toEqual(
      cases.map(([shortname, identity, , reason]) => [
        reason ? 'backup_refused' : 'backup_served',
        shortname,
        identity.username ?? '',
        reason,
      ]),
    );
  } finally {
    await setCourseRole(bleu, {
      shortname: 'HIST-GRP',
      username: 'teacher2',
      role: 'editingteacher',
      assigned: false,
    });
    await psql(`UPDATE mdl_user_enrolments SET status = 0 WHERE id IN ${teacher1Enrolment}`, bleu.database);
    await psql("UPDATE mdl_user SET idnumber = '' WHERE username = 'teacher1'", bleu.database);
  }
});

test("the rename attack: a teacher renames his vert course to another's short name, the block is refused, nothing stored", async ({
  page,
  harness,
  loginAs,
}) => {
  // teacher2 teaches TRAP-2TEACH on vert (not on bleu) and may change its short name (editing teachers
  // hold moodle/course:changeshortname by default); vert's ANG-EC1 goes by another name this year.
  const rename = (from: string, to: string) =>
    psql(`UPDATE mdl_course SET shortname = '${to}' WHERE shortname = '${from}'`, vert.database);
  await rename('ANG-EC1', 'ANG-EC1-2526');
  await rename('TRAP-2TEACH', 'ANG-EC1');
  try {
    await loginAs(page, 'vert', account(harness.accounts, 'teacher2'));
    const since = await newestFileId();
    const [vertLog, bleuLog] = [await newestLogId(vert.database), await newestLogId(bleu.database)];
    const error = await fetchThroughBlock(
      page,
      harness.sites.vert.url,
      harness.sites.vert.courses['TRAP-2TEACH'] ?? 0,
    );
    expect(error).toMatch(/not, and were not, an editing teacher|n'avez pas été, enseignant éditeur/);
    expect(page.url()).not.toContain('/backup/restorefile.php');
    expect(await storedSince('teacher2', since)).toBe(0);
    expect(await eventsSince(vert.database, 'block_ecampus_restore', vertLog)).toEqual([
      {
        event: 'backup_refused',
        other: { bleushortname: 'ANG-EC1', reason: 'block_ecampus_restore/error:refused:notteacher' },
      },
    ]);
    expect(await eventsSince(bleu.database, 'local_ecampus_export', bleuLog)).toEqual([
      {
        event: 'backup_refused',
        other: { shortname: 'ANG-EC1', username: 'teacher2', idnumber: '', reason: 'notteacher' },
      },
    ]);
  } finally {
    await rename('ANG-EC1', 'TRAP-2TEACH');
    await rename('ANG-EC1-2526', 'ANG-EC1');
  }
});

test("an admin gets any course's backup through the block, logged on both sites", async ({
  page,
  harness,
  loginAs,
}) => {
  await loginAs(page, 'vert', account(harness.accounts, 'admin'));
  const since = await newestFileId();
  const [vertLog, bleuLog] = [await newestLogId(vert.database), await newestLogId(bleu.database)];
  try {
    expect(
      await fetchThroughBlock(page, harness.sites.vert.url, harness.sites.vert.courses['ANG-EC1'] ?? 0),
    ).toBe(undefined);
    expect(new URL(page.url()).pathname).toBe('/backup/restorefile.php');
    expect(await storedSince('admin', since)).toBe(1);
    const fetched = await eventsSince(vert.database, 'block_ecampus_restore', vertLog);
    expect(fetched.map(({ event, other }) => [event, other['bleushortname'], other['userdata']])).toEqual([
      ['backup_fetched', 'ANG-EC1', 'none'],
    ]);
    const served = await eventsSince(bleu.database, 'local_ecampus_export', bleuLog);
    expect(served.map(({ event, other }) => [event, other['shortname'], other['username']])).toEqual([
      ['backup_served', 'ANG-EC1', 'admin'],
    ]);
  } finally {
    await forgetStoredSince(since);
  }
});

test("the block's own capability: a teacher it is prohibited to gets an error, nothing stored", async ({
  page,
  harness,
  loginAs,
}) => {
  const override = {
    shortname: 'ANG-EC1',
    role: 'editingteacher',
    capability: 'block/ecampus_restore:fetch',
  };
  await setCourseProhibition(vert, { ...override, prohibited: true });
  try {
    await loginAs(page, 'vert');
    const since = await newestFileId();
    const error = await fetchThroughBlock(
      page,
      harness.sites.vert.url,
      harness.sites.vert.courses['ANG-EC1'] ?? 0,
    );
    expect(error).toBeDefined();
    expect(await storedSince(harness.teacher, since)).toBe(0);
  } finally {
    await setCourseProhibition(vert, { ...override, prohibited: false });
  }
});

test('a backup holding users is stored only for a user who may restore user data; anonymised, for its teacher', async ({
  page,
  harness,
  loginAs,
}) => {
  const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
  const since = await newestFileId();
  const vertLog = await newestLogId(vert.database);
  await setBackupWithUsers(bleu, 'HIST-GRP', 'users');
  try {
    // The teacher (no moodle/restore:userinfo): refused, nothing stored.
    await loginAs(page, 'vert');
    expect(await fetchThroughBlock(page, harness.sites.vert.url, courseId)).toMatch(
      /holds user data|contient des données d'utilisateurs/,
    );
    expect(await storedSince(harness.teacher, since)).toBe(0);
    // An admin (who has it): stored.
    await loginAs(page, 'vert', account(harness.accounts, 'admin'));
    expect(await fetchThroughBlock(page, harness.sites.vert.url, courseId)).toBe(undefined);
    expect(await storedSince('admin', since)).toBe(1);
    // The same users anonymised: the teacher's.
    await setBackupWithUsers(bleu, 'HIST-GRP', 'anonymised');
    await loginAs(page, 'vert');
    expect(await fetchThroughBlock(page, harness.sites.vert.url, courseId)).toBe(undefined);
    expect(await storedSince(harness.teacher, since)).toBe(1);
    const logged = await eventsSince(vert.database, 'block_ecampus_restore', vertLog);
    expect(logged.map(({ event, other }) => [event, other['reason'] ?? other['userdata']])).toEqual([
      ['backup_refused', 'block_ecampus_restore/error:userdata'],
      ['backup_fetched', 'users'],
      ['backup_fetched', 'anonymised'],
    ]);
  } finally {
    await setBackupWithUsers(bleu, 'HIST-GRP', 'remove');
    await forgetStoredSince(since);
  }
});

test('a redirect from bleu is not followed (the token goes nowhere else): an error, nothing stored', async ({
  page,
  harness,
  loginAs,
}) => {
  // A previous platform's address that answers with a redirect to the real one (a moved site, a proxy).
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.writeHead(302, { Location: `${harness.sites.bleu.url}${request.url ?? '/'}` }).end();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await setConfig(vert, 'bleuurl', `http://127.0.0.1:${port}`, 'block_ecampus_restore');
  try {
    await loginAs(page, 'vert');
    const since = await newestFileId();
    const bleuLog = await newestLogId(bleu.database);
    expect(
      await fetchThroughBlock(page, harness.sites.vert.url, harness.sites.vert.courses['ANG-EC1'] ?? 0),
    ).toMatch(/answered with a redirect \(HTTP status 302\)|répondu par une redirection \(statut HTTP 302\)/);
    expect(asked).toHaveLength(1);
    expect(await storedSince(harness.teacher, since)).toBe(0);
    // bleu itself was never asked.
    expect(await eventsSince(bleu.database, 'local_ecampus_export', bleuLog)).toEqual([]);
  } finally {
    await setConfig(vert, 'bleuurl', harness.sites.bleu.url, 'block_ecampus_restore');
    server.close();
  }
});

test("a backup larger than the block's size cap is not stored: a clear error", async ({
  page,
  harness,
  loginAs,
}) => {
  await setConfig(vert, 'maxbytes', '1024', 'block_ecampus_restore');
  try {
    await loginAs(page, 'vert');
    const since = await newestFileId();
    expect(
      await fetchThroughBlock(page, harness.sites.vert.url, harness.sites.vert.courses['ANG-EC1'] ?? 0),
    ).toMatch(
      /larger than the largest size accepted \(1(\.0)? ?KB|dépasse la taille maximale acceptée \(1(,0)? ?Ko/,
    );
    expect(await storedSince(harness.teacher, since)).toBe(0);
  } finally {
    await setConfig(vert, 'maxbytes', '2147483648', 'block_ecampus_restore');
  }
});

test('a guessable token or a plain-http bleu elsewhere than this machine: the block sends nothing, bleu serves nothing', async ({
  page,
  request,
  harness,
  loginAs,
}) => {
  const token = loadState(HARNESS_VERSION).token;
  const short = token.slice(0, 31);
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  await loginAs(page, 'vert');
  const since = await newestFileId();
  const bleuLog = await newestLogId(bleu.database);
  const notConfigured = /not configured \(block settings|pas configurée \(réglages du bloc/;
  try {
    // The block: a 31-character token, then an http address that is not this machine's.
    await setConfig(vert, 'token', short, 'block_ecampus_restore');
    expect(await fetchThroughBlock(page, harness.sites.vert.url, courseId)).toMatch(notConfigured);
    await setConfig(vert, 'token', token, 'block_ecampus_restore');
    await setConfig(vert, 'bleuurl', 'http://bleu.example.org', 'block_ecampus_restore');
    expect(await fetchThroughBlock(page, harness.sites.vert.url, courseId)).toMatch(notConfigured);
    expect(await storedSince(harness.teacher, since)).toBe(0);
    expect(await eventsSince(bleu.database, 'local_ecampus_export', bleuLog)).toEqual([]);

    // bleu: set to a 31-character token, it refuses even that token.
    await setConfig(bleu, 'token', short, 'local_ecampus_export');
    const answer = await request.get(`${harness.sites.bleu.url}${LATEST}?shortname=ANG-EC1`, {
      headers: { 'X-Ecampus-Token': short, 'X-Ecampus-Username': harness.teacher },
    });
    expect(answer.status()).toBe(403);
  } finally {
    await setConfig(vert, 'token', token, 'block_ecampus_restore');
    await setConfig(vert, 'bleuurl', harness.sites.bleu.url, 'block_ecampus_restore');
    await setConfig(bleu, 'token', token, 'local_ecampus_export');
  }
});
