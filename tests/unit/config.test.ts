import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ConfigError,
  LOCAL_HARNESS,
  loadConfig,
  loadSettings,
  MIN_TOKEN_LENGTH,
  tokenSetting,
} from '../../config/env.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const credentials = { MOODLE_USERNAME: 'teacher1', MOODLE_PASSWORD: 'correct horse' };

function emptyFolder(): string {
  return scratchDir('ecampus-config');
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

test('with only credentials, every default points at the local harness', () => {
  const baseDir = emptyFolder();
  const config = loadConfig({ env: credentials, baseDir });
  expect(config.vertUrl).toBe(LOCAL_HARNESS.vertUrl);
  expect(config.bleuUrl).toBe(LOCAL_HARNESS.bleuUrl);
  expect(config.credentials).toEqual({ kind: 'password', username: 'teacher1', password: 'correct horse' });
  expect(config.settingsProfile.id).toBe('cemu-2425');
  expect(config.headless).toBe(true);
  expect(config.evidenceDir).toBe(path.join(baseDir, 'evidence-runs'));
  expect(config.timeouts).toEqual({ stepMs: 30_000, copyMs: 600_000, restoreMs: 3_600_000 });
  expect(config.ledgerPath).toBe(path.join(baseDir, 'state', 'ledger.sqlite'));
});

test('an empty value, as .env.example leaves them, means the default', () => {
  const baseDir = emptyFolder();
  writeFileSync(
    path.join(baseDir, '.env'),
    'VERT_URL=\nBLEU_URL=\nSTEP_TIMEOUT_MS=\nHEADLESS=\nSUPPORT_EMAIL=\nLEDGER_PATH=\nMOODLE_USERNAME=teacher1\nMOODLE_PASSWORD=x\n',
  );
  const config = loadConfig({ env: { COPY_TIMEOUT_MS: '  ', SETTINGS_PROFILE: '' }, baseDir });
  expect(config.vertUrl).toBe(LOCAL_HARNESS.vertUrl);
  expect(config.bleuUrl).toBe(LOCAL_HARNESS.bleuUrl);
  expect(config.timeouts).toEqual({ stepMs: 30_000, copyMs: 600_000, restoreMs: 3_600_000 });
  expect(config.headless).toBe(true);
  expect(config.supportEmail).toBe('cemu.assistance@unicaen.fr');
  expect(config.settingsProfile.id).toBe('cemu-2425');
});

test('timeouts are decimal milliseconds: 0x10 and 1e3 are refused, not read as 16 ms and 1000 ms', () => {
  const problems = problemsOf(() =>
    loadConfig({
      env: { ...credentials, STEP_TIMEOUT_MS: '0x10', COPY_TIMEOUT_MS: '1e3', RESTORE_TIMEOUT_MS: '1.5' },
      baseDir: emptyFolder(),
    }),
  );
  expect(problems).toEqual([
    'STEP_TIMEOUT_MS: must be a whole number of milliseconds, in decimal digits (e.g. 30000) (got "0x10")',
    'COPY_TIMEOUT_MS: must be a whole number of milliseconds, in decimal digits (e.g. 30000) (got "1e3")',
    'RESTORE_TIMEOUT_MS: must be a whole number of milliseconds, in decimal digits (e.g. 30000) (got "1.5")',
  ]);
  expect(
    loadConfig({ env: { ...credentials, STEP_TIMEOUT_MS: ' 45000 ' }, baseDir: emptyFolder() }).timeouts
      .stepMs,
  ).toBe(45_000);
});

test('a site URL keeps its path and drops a query or fragment copied from the browser', () => {
  const config = loadConfig({
    env: {
      ...credentials,
      VERT_URL: 'https://ecampus-vert.example.org/?redirect=0#top',
      BLEU_URL: 'https://www.example.org/moodle/?lang=fr',
    },
    baseDir: emptyFolder(),
  });
  expect(config.vertUrl).toBe('https://ecampus-vert.example.org');
  expect(config.bleuUrl).toBe('https://www.example.org/moodle');
});

test('settings load without credentials, for commands that do not reach Moodle', () => {
  const baseDir = emptyFolder();
  const settings = loadSettings({ env: {}, baseDir });
  expect(settings.ledgerPath).toBe(path.join(baseDir, 'state', 'ledger.sqlite'));
  expect(settings).not.toHaveProperty('credentials');
});

test('a wrong value stops with a message naming the variable and the value', () => {
  const problems = problemsOf(() =>
    loadConfig({
      env: { ...credentials, VERT_URL: 'ecampus-vert', COPY_TIMEOUT_MS: 'ten minutes', HEADLESS: 'maybe' },
      baseDir: emptyFolder(),
    }),
  );
  expect(problems).toHaveLength(3);
  expect(problems[0]).toMatch(/^VERT_URL: must be an http\(s\) URL.*\(got "ecampus-vert"\)$/);
  expect(problems.find((p) => p.startsWith('COPY_TIMEOUT_MS:'))).toContain('"ten minutes"');
  expect(problems.find((p) => p.startsWith('HEADLESS:'))).toContain('must be one of true, false');
});

test('missing credentials name both variables, and a password is never echoed', () => {
  expect(problemsOf(() => loadConfig({ env: {}, baseDir: emptyFolder() }))).toEqual([
    'MOODLE_USERNAME: required (or set MOODLE_STORAGE_STATE)',
    'MOODLE_PASSWORD: required (or set MOODLE_STORAGE_STATE)',
  ]);
  const error = (() => {
    try {
      loadConfig({
        env: { ...credentials, MOODLE_PASSWORD: 'hunter2', VERT_URL: 'nope' },
        baseDir: emptyFolder(),
      });
    } catch (caught) {
      return caught as Error;
    }
    throw new Error('expected an error');
  })();
  expect(error.message).not.toContain('hunter2');
});

test('the .env file is read, and the environment wins over it', () => {
  const baseDir = emptyFolder();
  writeFileSync(
    path.join(baseDir, '.env'),
    'VERT_URL=https://ecampus-vert.example.org/\nBLEU_URL=https://bleu.example.org\nMOODLE_USERNAME=fromfile\nMOODLE_PASSWORD=x\n',
  );
  const config = loadConfig({ env: { BLEU_URL: 'https://bleu.override.example.org' }, baseDir });
  expect(config.vertUrl).toBe('https://ecampus-vert.example.org');
  expect(config.bleuUrl).toBe('https://bleu.override.example.org');
  expect(config.credentials).toMatchObject({ username: 'fromfile' });
});

test('a storage state replaces the password, must exist, and excludes a password', () => {
  const baseDir = emptyFolder();
  expect(
    problemsOf(() => loadConfig({ env: { MOODLE_STORAGE_STATE: 'vert.storage-state.json' }, baseDir }))[0],
  ).toMatch(/^MOODLE_STORAGE_STATE: no file at .*vert\.storage-state\.json/);
  writeFileSync(path.join(baseDir, 'vert.storage-state.json'), '{"cookies":[],"origins":[]}', {
    mode: 0o600,
  });
  expect(
    loadConfig({ env: { MOODLE_STORAGE_STATE: 'vert.storage-state.json' }, baseDir }).credentials,
  ).toEqual({
    kind: 'storage-state',
    storageStatePath: path.join(baseDir, 'vert.storage-state.json'),
  });
  expect(
    problemsOf(() =>
      loadConfig({ env: { ...credentials, MOODLE_STORAGE_STATE: 'vert.storage-state.json' }, baseDir }),
    )[0],
  ).toMatch(/^MOODLE_STORAGE_STATE: set either/);
});

test('block name and year label are checked for shape', () => {
  const problems = problemsOf(() =>
    loadConfig({
      env: { ...credentials, BACKUP_BLOCK_NAME: 'Restauration', YEAR_LABEL: '2024' },
      baseDir: emptyFolder(),
    }),
  );
  expect(problems.map((p) => p.split(':')[0])).toEqual(['BACKUP_BLOCK_NAME', 'YEAR_LABEL']);
});

test('the support address defaults to the seed, and must be an email address', () => {
  expect(loadConfig({ env: credentials, baseDir: emptyFolder() }).supportEmail).toBe(
    'cemu.assistance@unicaen.fr',
  );
  expect(
    problemsOf(() => loadConfig({ env: { ...credentials, SUPPORT_EMAIL: 'cemu' }, baseDir: emptyFolder() })),
  ).toEqual(['SUPPORT_EMAIL: must be an email address (got "cemu")']);
});

test("a batch's page is in French unless REPORT_LANGUAGE says en; another language is refused", () => {
  expect(loadConfig({ env: credentials, baseDir: emptyFolder() }).reportLanguage).toBe('fr');
  expect(
    loadConfig({ env: { ...credentials, REPORT_LANGUAGE: 'en' }, baseDir: emptyFolder() }).reportLanguage,
  ).toBe('en');
  expect(
    problemsOf(() => loadConfig({ env: { ...credentials, REPORT_LANGUAGE: 'de' }, baseDir: emptyFolder() })),
  ).toEqual(['REPORT_LANGUAGE: must be fr or en (got "de")']);
});

test('a saved session that other users may read or change is refused when loaded, naming the variable', () => {
  const baseDir = emptyFolder();
  const file = path.join(baseDir, 'vert.storage-state.json');
  writeFileSync(file, '{"cookies":[],"origins":[]}', { mode: 0o600 });
  const load = () => loadConfig({ env: { MOODLE_STORAGE_STATE: 'vert.storage-state.json' }, baseDir });
  expect(load().credentials).toMatchObject({ kind: 'storage-state' });
  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
    chmodSync(file, mode);
    expect(problemsOf(load)).toEqual([
      `MOODLE_STORAGE_STATE: ${file} may be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it, or save the session again`,
    ]);
  }
  chmodSync(file, 0o400);
  expect(load().credentials).toMatchObject({ kind: 'storage-state' });
});

test('vert and bleu are https; plain http only for this machine', () => {
  const refused = problemsOf(() =>
    loadConfig({
      env: {
        ...credentials,
        VERT_URL: 'http://ecampus-vert.example.org',
        BLEU_URL: 'http://127.0.0.1.example.org',
      },
      baseDir: emptyFolder(),
    }),
  );
  expect(refused).toEqual([
    'VERT_URL: must be an https URL (plain http only for this machine: localhost, 127.0.0.1, ::1) (got "http://ecampus-vert.example.org")',
    'BLEU_URL: must be an https URL (plain http only for this machine: localhost, 127.0.0.1, ::1) (got "http://127.0.0.1.example.org")',
  ]);
  for (const [vert, bleu] of [
    ['http://127.0.0.1:8082', 'http://localhost:8081'],
    ['http://[::1]:8082', 'http://127.0.0.2:8081/moodle'],
    ['https://ecampus-vert.example.org', 'https://bleu.example.org'],
  ] as const) {
    const config = loadConfig({
      env: { ...credentials, VERT_URL: vert, BLEU_URL: bleu },
      baseDir: emptyFolder(),
    });
    expect([config.vertUrl, config.bleuUrl]).toEqual([vert, bleu]);
  }
});

test(`a token setting takes at least ${MIN_TOKEN_LENGTH} characters`, () => {
  expect(tokenSetting.safeParse('x'.repeat(MIN_TOKEN_LENGTH)).success).toBe(true);
  const short = tokenSetting.safeParse('x'.repeat(MIN_TOKEN_LENGTH - 1));
  expect(short.success).toBe(false);
  expect(short.error?.issues[0]?.message).toBe('must be at least 32 characters (a long random secret)');
});

test('LEDGER_URL names a PostgreSQL ledger; anything else stops at start without echoing it', () => {
  const env = { LEDGER_URL: 'postgres://robot:s3cret@db.example.org:5432/ledger' };
  const settings = loadSettings({ env, envFile: '/nonexistent' });
  expect(settings.ledgerUrl).toBe(env.LEDGER_URL);
  expect(settings.ledgerHeartbeatStaleMs).toBe(600_000);
  expect(loadSettings({ env: {}, envFile: '/nonexistent' }).ledgerUrl).toBeUndefined();
  expect(() =>
    loadSettings({ env: { LEDGER_URL: 'mysql://robot:s3cret@db/ledger' }, envFile: '/nonexistent' }),
  ).toThrow(
    /^Invalid configuration:\n {2}- LEDGER_URL: must be a PostgreSQL URL, e\.g\. postgres:\/\/user:password@db\.example\.org:5432\/ledger$/,
  );
});

test('the block and its link are found by texts: the seed in French and English with YEAR_LABEL, or configured ones', () => {
  const byDefault = loadConfig({ env: { ...credentials, YEAR_LABEL: '25/26' }, baseDir: emptyFolder() });
  expect(byDefault.backupBlock).toEqual({
    titles: [],
    linkTexts: ['Télécharger la sauvegarde 25/26', 'Download the 25/26 backup'],
  });
  const configured = loadConfig({
    env: {
      ...credentials,
      BACKUP_BLOCK_TITLE: ' Sauvegardes ecampus | Backups ',
      BACKUP_LINK_TEXT: 'Récupérer mon cours {year}|',
    },
    baseDir: emptyFolder(),
  });
  expect(configured.backupBlock).toEqual({
    titles: ['Sauvegardes ecampus', 'Backups'],
    linkTexts: ['Récupérer mon cours 24/25'],
  });
});

test('MOODLE_VERSION, YEAR_LABEL and MOODLE_STORAGE_STATE written only in .env are honoured', () => {
  const baseDir = emptyFolder();
  writeFileSync(
    path.join(baseDir, '.env'),
    'MOODLE_VERSION=5.0\nYEAR_LABEL=25/26\nMOODLE_STORAGE_STATE=saved.json\n',
  );
  writeFileSync(path.join(baseDir, 'saved.json'), '{"cookies":[],"origins":[]}', { mode: 0o600 });
  const config = loadConfig({ env: {}, baseDir });
  expect(config.moodleVersion).toBe('5.0');
  expect(config.backupBlock.linkTexts).toContain('Download the 25/26 backup');
  expect(config.storageStatePath).toBe(path.join(baseDir, 'saved.json'));
  expect(loadSettings({ env: { MOODLE_VERSION: '4.5' }, baseDir }).moodleVersion).toBe('4.5');
  expect(problemsOf(() => loadSettings({ env: { MOODLE_VERSION: '3.9' }, baseDir }))[0]).toMatch(
    /^MOODLE_VERSION: must be one of 4\.4, 4\.5, 5\.0.* \(got "3\.9"\)$/,
  );
});
