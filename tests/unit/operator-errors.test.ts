import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { errors } from 'playwright';
import { NotMoodleAnswer } from '../../pages/moodle-page.js';
import { classifyError, describeError, operatorLine, RunStopped } from '../../rules/operator-errors.js';
import { LoginError } from '../../session/password-login.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const context = {
  vertUrl: 'https://ecampus-vert.example.org',
  bleuUrl: 'https://ecampus-bleu.example.org',
  ledgerPath: '/srv/robot/state/ledger.sqlite',
  evidenceDir: '/srv/robot/evidence',
};

/** Playwright's own wording for a navigation that failed (its message, then its call log). */
const gotoFailure = (net: string, url: string) =>
  new Error(
    `page.goto: net::${net} at ${url}/login/index.php\nCall log:\n  - navigating to "${url}/login/index.php", waiting until "load"\n`,
  );

const lineOf = (error: unknown) => {
  const problem = classifyError(error, context);
  if (!problem) throw new Error(`not classified: ${String(error)}`);
  return { line: operatorLine(problem), problem };
};

test('an unreachable site is named, with its address, the cause and what to do, on one line', () => {
  const { line, problem } = lineOf(gotoFailure('ERR_CONNECTION_REFUSED', context.bleuUrl));
  expect(line).toBe(
    'bleu is unreachable: nothing answers at https://ecampus-bleu.example.org (ERR_CONNECTION_REFUSED): check BLEU_URL and that the site is up (open it in a browser), then run the same command again',
  );
  expect(problem).toMatchObject({ place: 'bleu', exitCode: 1, wholeRun: true });
  expect(line).not.toContain('\n');
});

test('DNS, TLS and a connection timeout each say their cause', () => {
  expect(lineOf(gotoFailure('ERR_NAME_NOT_RESOLVED', context.vertUrl)).line).toMatch(
    /^vert is unreachable: its host name is not known \(DNS, ERR_NAME_NOT_RESOLVED\) at https:\/\/ecampus-vert\.example\.org: check the spelling of VERT_URL/,
  );
  expect(lineOf(gotoFailure('ERR_CERT_DATE_INVALID', context.vertUrl)).line).toMatch(
    /^vert refused a secure connection: its TLS certificate is not valid for the browser \(ERR_CERT_DATE_INVALID\).*never turn the check off/,
  );
  expect(lineOf(gotoFailure('ERR_CONNECTION_TIMED_OUT', context.bleuUrl)).line).toMatch(
    /^bleu did not answer in time at https:\/\/ecampus-bleu\.example\.org \(ERR_CONNECTION_TIMED_OUT\)/,
  );
});

test("Playwright's TimeoutError names the site of the page and the time waited", () => {
  const timeout = new errors.TimeoutError(
    `locator.click: Timeout 30000ms exceeded.\nCall log:\n  - waiting for locator('#id_submitbutton')`,
  );
  const problem = classifyError(timeout, { ...context, site: 'vert' });
  expect(problem && operatorLine(problem)).toBe(
    'vert did not answer within 30 s at https://ecampus-vert.example.org: the site is slow or overloaded: try again later, or raise STEP_TIMEOUT_MS',
  );
  expect(problem?.wholeRun).toBe(false);
});

test("Moodle's maintenance page (HTTP 503) is maintenance, not a broken site", () => {
  const answer = new NotMoodleAnswer(
    `${context.vertUrl}/login/index.php`,
    'Maintenance | Site is undergoing maintenance and is currently not available',
    503,
  );
  expect(lineOf(answer).line).toBe(
    'vert is in maintenance mode at https://ecampus-vert.example.org: wait until its administrators end the maintenance, then run the same command again',
  );
  const proxy = new NotMoodleAnswer(`${context.vertUrl}/my/`, '502 Bad Gateway', 502);
  expect(lineOf(proxy).line).toMatch(/^vert answered with a page that is not Moodle's \(HTTP 502\)/);
});

test('a refused login, a single sign-on page and a release mismatch concern the whole run', () => {
  const refused = lineOf(
    new LoginError('vert refused the login of teacher1 (Moodle says "Invalid login, please try again")'),
  );
  expect(refused.line).toMatch(
    /^vert refused the login of teacher1 .*: check MOODLE_USERNAME and MOODLE_PASSWORD/,
  );
  expect(refused.problem.wholeRun).toBe(true);
  const sso = lineOf(
    new LoginError(
      "bleu shows a single sign-on page, not Moodle's login form: https://cas.example.org/login?service=x",
    ),
  );
  expect(sso.line).toMatch(
    /^bleu shows a single sign-on page.*no session the robot can use: run `ecampus-restore login`/,
  );
  const expired = lineOf(
    new LoginError(
      "session expired: run `ecampus-restore login` (the saved session /x/session.json is not logged in to vert: sent to Moodle's login page https://vert.example.org/login/index.php)",
    ),
  );
  expect(expired.line).toMatch(
    /^vert session expired: run `ecampus-restore login` \(the saved session .*\): it saves a new session to MOODLE_STORAGE_STATE/,
  );
  expect(expired.line).not.toMatch(/MOODLE_PASSWORD/);
  expect(expired.problem.wholeRun).toBe(true);
  const mismatch = lineOf(
    new Error(
      `${context.vertUrl} runs Moodle 5.0 (${context.vertUrl}/UPGRADING.md), but Moodle 4.5 is configured (MOODLE_VERSION)`,
    ),
  );
  expect(mismatch.line).toMatch(
    /^vert runs Moodle 5\.0, not the Moodle 4\.5 configured \(MOODLE_VERSION; read from .*UPGRADING\.md\): if the site was upgraded, set MOODLE_VERSION=5\.0/,
  );
  // 5.1 is read from what the site serves, said with parentheses of its own.
  const nested = lineOf(
    new Error(
      `${context.vertUrl} runs Moodle 5.1 (core_courseformat activity chooser served (5.1 or later; upgrade notes not served)), but Moodle 5.0 is configured (MOODLE_VERSION)`,
    ),
  );
  expect(nested.line).toMatch(
    /^vert runs Moodle 5\.1, not the Moodle 5\.0 configured \(MOODLE_VERSION; read from core_courseformat activity chooser served \(5\.1 or later; upgrade notes not served\)\)/,
  );
});

test('an unreadable ledger is named with its path and never suggests deleting it', () => {
  const dir = scratchDir('operator-errors');
  const file = path.join(dir, 'ledger.sqlite');
  writeFileSync(file, 'this is a spreadsheet, not a ledger\n'.repeat(200));
  let error: unknown;
  try {
    new SqliteLedger(file);
  } catch (caught) {
    error = caught;
  }
  const problem = classifyError(error, { ...context, ledgerPath: file });
  expect(problem && operatorLine(problem)).toMatch(
    new RegExp(
      `^the ledger is unreadable at ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the file is not an SQLite database \\(SQLITE_NOTADB\\): nothing was restored; do not delete it`,
    ),
  );
});

test('a full disk under the evidence folder is said as such', () => {
  const full = Object.assign(new Error(`ENOSPC: no space left on device, write`), {
    code: 'ENOSPC',
    syscall: 'write',
  });
  expect(lineOf(full).line).toBe(
    'the evidence folder cannot be written: the disk is full (ENOSPC) at /srv/robot/evidence: free some space there or point EVIDENCE_DIR to a disk with room, then run the same command again',
  );
});

test("a full disk met while creating a course's evidence folder, and a file in its way, say so on one line", () => {
  const mkdirFull = Object.assign(
    new Error(`ENOSPC: no space left on device, mkdir '/srv/robot/evidence/batch-x/courses/2026-ang-ec1'`),
    { code: 'ENOSPC', syscall: 'mkdir' },
  );
  expect(classifyError(mkdirFull, context)).toMatchObject({
    place: 'the evidence folder',
    exitCode: 1,
    wholeRun: true,
  });
  expect(describeError(mkdirFull, context)).toMatch(
    /^the evidence folder cannot be written: the disk is full \(ENOSPC\)/,
  );
  const inTheWay = Object.assign(new Error(`ENOTDIR: not a directory, mkdir '/srv/robot/evidence/courses'`), {
    code: 'ENOTDIR',
  });
  expect(describeError(inTheWay, context)).toBe(
    'the evidence folder cannot be created (ENOTDIR): a file is in the way at /srv/robot/evidence: move that file, or point EVIDENCE_DIR to a folder, then run the same command again',
  );
  // Elsewhere (not the evidence folder), the error keeps its own line.
  expect(
    classifyError(
      Object.assign(new Error('ENOTDIR: not a directory, open /etc/x'), { code: 'ENOTDIR' }),
      context,
    ),
  ).toBeUndefined();
});

test('an error the robot does not know keeps its own first line; a RunStopped keeps its problem', () => {
  expect(
    classifyError(new Error('the Confirm stage shows no original course id\nmore'), context),
  ).toBeUndefined();
  expect(describeError(new Error('the Confirm stage shows no original course id\nmore'), context)).toBe(
    'the Confirm stage shows no original course id',
  );
  const stop = new RunStopped({ place: 'vert', cause: 'x', action: 'y', exitCode: 1, wholeRun: true });
  expect(stop.message).toBe('vert x: y');
  expect(classifyError(stop)).toBe(stop.problem);
});
