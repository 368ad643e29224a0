import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { exposedSecretFile } from '../evidence/file-modes.js';
import { MOODLE_RELEASES, type MoodleRelease } from '../pages/moodle-release.js';
import { backupBlockTexts, type BackupBlockTexts } from './block-texts.js';
import type { SettingsProfile } from './profile.js';
import { PROFILES } from './profiles/index.js';

/** Where the built-in local Moodle pair listens; used when nothing else is configured. */
export const LOCAL_HARNESS = {
  vertUrl: 'http://127.0.0.1:8082',
  bleuUrl: 'http://127.0.0.1:8081',
} as const;

/** The languages of what the tool writes for people to read (REPORT_LANGUAGE). */
export const REPORT_LANGUAGES = ['fr', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

// LEDGER_URL may hold the database's password.
const SECRET_VARIABLES = new Set(['MOODLE_PASSWORD', 'LEDGER_URL']);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be one of true, false, 1, 0, yes, no' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Plain decimal digits: Number() would also read "0x10" as 16 ms and "1e3" as 1000 ms. */
const milliseconds = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number of milliseconds, in decimal digits (e.g. 30000)')
    .transform(Number)
    .pipe(
      z
        .number()
        .positive('must be greater than 0')
        .max(2 ** 31 - 1, 'must be at most 2147483647'),
    )
    .default(fallback);

// --- Issue 31: transport and secrets rules (https, token length) ---

/** A host on this machine: plain http never leaves it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function isHttpsOrLoopback(value: string): boolean {
  if (!URL.canParse(value)) return true; // the URL check names that problem
  const url = new URL(value);
  return url.protocol === 'https:' || isLoopbackHost(url.hostname);
}

/** The shortest token setting accepted: 32 characters (the harness makes 32 random ones). */
export const MIN_TOKEN_LENGTH = 32;

/** Any token setting (a shared secret between sites): long enough not to be guessed. */
export const tokenSetting = z
  .string()
  .min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters (a long random secret)`);

/**
 * A site's base address: its path is kept (a Moodle may live in a folder), a query or fragment is
 * dropped (a copied "https://site/?redirect=0" still means the site), trailing slashes too. Plain
 * http only for this machine (the local harness): elsewhere the login and session would travel in clear.
 */
const siteUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://ecampus.example.org' })
    .refine(isHttpsOrLoopback, {
      error: 'must be an https URL (plain http only for this machine: localhost, 127.0.0.1, ::1)',
    })
    .default(fallback)
    .transform((value) => {
      const url = new URL(value);
      url.search = '';
      url.hash = '';
      return url.href.replace(/\/+$/, '');
    });

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const environmentSchema = z.object({
  VERT_URL: siteUrl(LOCAL_HARNESS.vertUrl),
  BLEU_URL: siteUrl(LOCAL_HARNESS.bleuUrl),
  MOODLE_USERNAME: optionalText,
  MOODLE_PASSWORD: z
    .string()
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  MOODLE_STORAGE_STATE: optionalText,
  BACKUP_BLOCK_NAME: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]*$/,
      'must be a Moodle block plugin name such as ecampus_restore (lowercase, a-z0-9_)',
    )
    .default('ecampus_restore'),
  YEAR_LABEL: z
    .string()
    .regex(/^\d{2}\/\d{2}$/, 'must look like 24/25')
    .default('24/25'),
  // What a person sees: the block's title and its link's text, each a list separated by "|".
  BACKUP_BLOCK_TITLE: optionalText,
  BACKUP_LINK_TEXT: optionalText,
  MOODLE_VERSION: z
    .enum(MOODLE_RELEASES, { error: `must be one of ${MOODLE_RELEASES.join(', ')}` })
    .optional(),
  SETTINGS_PROFILE: z
    .string()
    .refine((id) => Object.hasOwn(PROFILES, id), {
      error: `must name a profile of config/profiles/: ${Object.keys(PROFILES).join(', ')}`,
    })
    .default('cemu-2425'),
  STEP_TIMEOUT_MS: milliseconds(30_000),
  COPY_TIMEOUT_MS: milliseconds(10 * 60_000),
  RESTORE_TIMEOUT_MS: milliseconds(60 * 60_000),
  EVIDENCE_DIR: z.string().min(1).default('evidence-runs'),
  LEDGER_PATH: z.string().min(1).default('state/ledger.sqlite'),
  LEDGER_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a PostgreSQL URL, e.g. postgres://user:password@db.example.org:5432/ledger',
    })
    .optional(),
  LEDGER_HEARTBEAT_STALE_MS: milliseconds(10 * 60_000),
  HEADLESS: booleanFlag.default(true),
  /** Keep the .mbz the block fetched in the account's private backup area (removed by default). */
  KEEP_FETCHED_BACKUP: booleanFlag.default(false),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  SUPPORT_EMAIL: z.email({ error: 'must be an email address' }).default('cemu.assistance@unicaen.fr'),
  REPORT_LANGUAGE: z.enum(REPORT_LANGUAGES, { error: 'must be fr or en' }).default('fr'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Credentials =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'storage-state'; storageStatePath: string };

/** Everything but the login: enough for commands that do not reach Moodle (the ledger). */
export interface Settings {
  vertUrl: string;
  bleuUrl: string;
  blockName: string;
  yearLabel: string;
  /** The backup block's title and its link's text, as vert shows them (French and English by default). */
  backupBlock: BackupBlockTexts;
  /** The release vert and bleu are expected to run (MOODLE_VERSION), when configured. */
  moodleVersion: MoodleRelease | undefined;
  /** Where `login` saves the session, and where a session is read from (MOODLE_STORAGE_STATE). */
  storageStatePath: string | undefined;
  settingsProfile: SettingsProfile;
  timeouts: { stepMs: number; copyMs: number; restoreMs: number };
  evidenceDir: string;
  ledgerPath: string;
  /** The shared ledger's PostgreSQL database; when set, LEDGER_PATH is not used. */
  ledgerUrl?: string;
  /** A claim of another machine counts as interrupted once its heartbeat is this old. */
  ledgerHeartbeatStaleMs: number;
  headless: boolean;
  /** The fetched backup stays in the private backup area after the restore or a refusal. */
  keepFetchedBackup: boolean;
  chromiumPath: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  /** Where the seed tells teachers to report a failed restore. */
  supportEmail: string;
  /** The language of what is written for people to read: a batch's own page. */
  reportLanguage: ReportLanguage;
}

export interface Config extends Settings {
  credentials: Credentials;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** The process environment; wins over the .env file. */
  env?: NodeJS.ProcessEnv;
  /** The .env file to read if it exists. */
  envFile?: string;
  /** Folder that relative paths (evidence, ledger, storage state) are resolved against. */
  baseDir?: string;
}

/** The settings and the login; a missing or wrong value of either stops here. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const { env, resolve, settings } = parseEnvironment(options);
  return { ...settings, credentials: credentialsFrom(env, resolve) };
}

/** The settings without the login, for commands that do not reach Moodle. */
export function loadSettings(options: LoadConfigOptions = {}): Settings {
  return parseEnvironment(options).settings;
}

function parseEnvironment(options: LoadConfigOptions) {
  const baseDir = options.baseDir ?? process.cwd();
  const envFile = options.envFile ?? path.join(baseDir, '.env');
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  // An empty value (VERT_URL= as .env.example shows it) means "use the default".
  const merged: Record<string, string | undefined> = Object.fromEntries(
    Object.entries({ ...fromFile, ...(options.env ?? process.env) }).filter(
      ([, value]) => value !== undefined && value.trim() !== '',
    ),
  );

  const parsed = environmentSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        const raw = merged[variable];
        const shown = raw === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got "${raw}")`;
        return `${variable}: ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  const resolve = (file: string) => path.resolve(baseDir, file);

  const settings: Settings = {
    vertUrl: env.VERT_URL,
    bleuUrl: env.BLEU_URL,
    blockName: env.BACKUP_BLOCK_NAME,
    yearLabel: env.YEAR_LABEL,
    backupBlock: backupBlockTexts(env.YEAR_LABEL, env.BACKUP_BLOCK_TITLE, env.BACKUP_LINK_TEXT),
    moodleVersion: env.MOODLE_VERSION,
    storageStatePath: env.MOODLE_STORAGE_STATE === undefined ? undefined : resolve(env.MOODLE_STORAGE_STATE),
    settingsProfile: PROFILES[env.SETTINGS_PROFILE] as SettingsProfile,
    timeouts: { stepMs: env.STEP_TIMEOUT_MS, copyMs: env.COPY_TIMEOUT_MS, restoreMs: env.RESTORE_TIMEOUT_MS },
    evidenceDir: resolve(env.EVIDENCE_DIR),
    ledgerPath: resolve(env.LEDGER_PATH),
    ...(env.LEDGER_URL !== undefined && { ledgerUrl: env.LEDGER_URL }),
    ledgerHeartbeatStaleMs: env.LEDGER_HEARTBEAT_STALE_MS,
    headless: env.HEADLESS,
    keepFetchedBackup: env.KEEP_FETCHED_BACKUP,
    chromiumPath: env.CHROMIUM_PATH,
    logLevel: env.LOG_LEVEL,
    supportEmail: env.SUPPORT_EMAIL,
    reportLanguage: env.REPORT_LANGUAGE,
  };
  return { env, resolve, settings };
}

function credentialsFrom(
  env: z.infer<typeof environmentSchema>,
  resolve: (file: string) => string,
): Credentials {
  if (env.MOODLE_STORAGE_STATE !== undefined) {
    if (env.MOODLE_USERNAME !== undefined || env.MOODLE_PASSWORD !== undefined) {
      throw new ConfigError([
        'MOODLE_STORAGE_STATE: set either MOODLE_STORAGE_STATE or MOODLE_USERNAME + MOODLE_PASSWORD, not both',
      ]);
    }
    const storageStatePath = resolve(env.MOODLE_STORAGE_STATE);
    if (!existsSync(storageStatePath)) {
      throw new ConfigError([
        `MOODLE_STORAGE_STATE: no file at ${storageStatePath} (save one with the login command first)`,
      ]);
    }
    const exposed = exposedSecretFile(storageStatePath);
    if (exposed !== undefined) throw new ConfigError([`MOODLE_STORAGE_STATE: ${exposed}`]);
    return { kind: 'storage-state', storageStatePath };
  }
  const missing = [
    env.MOODLE_USERNAME === undefined ? 'MOODLE_USERNAME: required (or set MOODLE_STORAGE_STATE)' : undefined,
    env.MOODLE_PASSWORD === undefined ? 'MOODLE_PASSWORD: required (or set MOODLE_STORAGE_STATE)' : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (env.MOODLE_USERNAME === undefined || env.MOODLE_PASSWORD === undefined) {
    throw new ConfigError(missing);
  }
  return { kind: 'password', username: env.MOODLE_USERNAME, password: env.MOODLE_PASSWORD };
}
