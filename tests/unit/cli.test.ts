import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const execFileAsync = promisify(execFile);
const cli = path.join(import.meta.dirname, '..', '..', 'bin', 'ecampus-restore.ts');
// The CLI runs in a scratch folder (its .env and relative paths), so tsx is named by its full address.
const tsx = import.meta.resolve('tsx');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function ecampusRestore(
  args: string[],
  env: Record<string, string> = {},
  dotenv?: string,
): Promise<Result> {
  const cwd = scratchDir('ecampus-cli');
  if (dotenv !== undefined) writeFileSync(path.join(cwd, '.env'), dotenv);
  const baseEnv = {
    PATH: process.env['PATH'] ?? '',
    MOODLE_USERNAME: 'teacher1',
    MOODLE_PASSWORD: 'hunter2',
  };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', tsx, cli, ...args], {
      cwd,
      env: { ...baseEnv, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function csv(text: string): string {
  const file = path.join(scratchDir('ecampus-csv'), 'courses.csv');
  writeFileSync(file, text);
  return file;
}

test('--help documents every command; no command is a usage error', async () => {
  const help = await ecampusRestore(['--help']);
  expect(help.code).toBe(0);
  for (const command of ['check-config', 'validate', 'ledger', 'verify-evidence']) {
    expect(help.stdout).toContain(`ecampus-restore ${command}`);
  }
  expect((await ecampusRestore([])).code).toBe(2);
  expect(await ecampusRestore(['restore-everything'])).toMatchObject({
    code: 2,
    stderr: 'unknown command "restore-everything"; see ecampus-restore --help\n',
  });
});

test('check-config prints the settings in force without the password; a bad one exits 2 naming it', async () => {
  const good = await ecampusRestore(['check-config']);
  expect(good.code).toBe(0);
  expect(good.stdout).toContain('vert:      http://127.0.0.1:8082');
  expect(good.stdout).toContain('teacher1 (password set)');
  expect(good.stdout).not.toContain('hunter2');

  const bad = await ecampusRestore(['check-config'], { RESTORE_TIMEOUT_MS: '-1' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('RESTORE_TIMEOUT_MS: must be greater than 0 (got "-1")');
});

test('check-config shows every setting, those written only in .env included', async () => {
  const shown = await ecampusRestore(
    ['check-config'],
    {},
    'MOODLE_VERSION=5.0\nYEAR_LABEL=25/26\nBACKUP_BLOCK_TITLE=Sauvegardes\nLOG_LEVEL=warn\nREPORT_LANGUAGE=en\nKEEP_FETCHED_BACKUP=true\nLEDGER_HEARTBEAT_STALE_MS=120000\n',
  );
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain('release:   Moodle 5.0');
  expect(shown.stdout).toContain('  title:   "Sauvegardes"');
  expect(shown.stdout).toContain(
    '  link:    "Télécharger la sauvegarde 25/26" or "Download the 25/26 backup"',
  );
  expect(shown.stdout).toContain('log level: warn');
  expect(shown.stdout).toContain('report:    English (REPORT_LANGUAGE)');
  expect(shown.stdout).toContain('fetched:   kept in the private backup area');
  expect(shown.stdout).toContain('a claim stale after 120000 ms without a heartbeat');
  expect(shown.stdout).toMatch(/^session: {3}none saved/m);
});

test('login reads MOODLE_STORAGE_STATE from .env too, and without it says which variable to set', async () => {
  const missing = await ecampusRestore(['login'], { MOODLE_USERNAME: '', MOODLE_PASSWORD: '' });
  expect(missing).toMatchObject({
    code: 2,
    stderr: 'MOODLE_STORAGE_STATE: set it to the file where the session is to be saved\n',
  });
});

test('validate lists a good batch file and rejects a bad one with its lines', async () => {
  const good = await ecampusRestore(['validate', csv('course,bleu_shortname\nMATHS101,\n1234,PHYS-2425\n')]);
  expect(good.code).toBe(0);
  expect(good.stdout).toMatch(
    /courses\.csv: 2 course\(s\), valid\n {2}line 2: MATHS101\n {2}line 3: id 1234 ← bleu PHYS-2425\n$/,
  );

  const bad = await ecampusRestore(['validate', csv('course\nMATHS101\nMATHS101\n')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('is not a valid course list; nothing was run');
  expect(bad.stderr).toContain('line 3, column A (course): "MATHS101" is already listed on line 2');

  const missing = await ecampusRestore(['validate', '/nonexistent/courses.csv']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('cannot read the file');
});

test('restore refuses course 1 (the site front page) as the batch list does, before anything is read or run', async () => {
  const result = await ecampusRestore(['restore', 'MATHS101', '1']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('nothing was run: "1" is not a course id (1 is the site front page)');
});

test('ledger tells a restored course from one never touched, by vert id or recorded short name, without Moodle credentials', async () => {
  const ledgerPath = path.join(scratchDir('ecampus-cli-ledger'), 'ledger.sqlite');
  const ledger = new SqliteLedger(ledgerPath);
  await ledger.claimBeforePerform({
    courseId: 1234,
    courseLabel: 'MATHS101',
    backupFile: 'm.mbz',
    runId: 'r1',
    evidencePath: '/e/r1',
  });
  await ledger.recordRestored(1234, 'r1');
  await ledger.close();
  const noCredentials = { MOODLE_USERNAME: '', MOODLE_PASSWORD: '' };
  const result = await ecampusRestore(['ledger', '1234', 'MATHS101', '99', 'PHYS'], {
    LEDGER_PATH: ledgerPath,
    ...noCredentials,
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n')).toEqual([
    expect.stringMatching(/^1234: already restored on .* from m\.mbz \(evidence: \/e\/r1\)$/),
    expect.stringMatching(/^MATHS101 \(vert course id 1234\): already restored on /),
    '99: never restored',
    'PHYS: no course recorded under this short name (the ledger knows courses by vert course id: give the id to be sure)',
    '',
  ]);
  const noLedgerYet = await ecampusRestore(['ledger', '5'], noCredentials);
  expect(noLedgerYet.stdout).toMatch(/^5: never restored \(no ledger yet at .*state\/ledger\.sqlite\)\n$/);
});

test('verify-evidence exits 1 when a file does not match the manifest', async () => {
  const dir = scratchDir('ecampus-cli-evidence');
  writeFileSync(path.join(dir, 'note.json'), '{}\n');
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      run: 'x',
      createdAt: '',
      steps: [],
      screenshots: [],
      attachments: [{ name: 'note', file: 'note.json', writtenAt: '', sha256: '0'.repeat(64) }],
    }),
  );
  const result = await ecampusRestore(['verify-evidence', dir]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('evidence does not match its manifest');
  expect(result.stderr).toContain('note.json: SHA-256 is');
});
