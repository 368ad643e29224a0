#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CourseListError, readCourseList } from '../batch/course-list.js';
import { ConfigError, loadConfig, loadSettings, type Config, type Settings } from '../config/env.js';
import { verifyEvidence } from '../evidence/recorder.js';
import { ledgerAnchor } from '../ledger/evidence-anchor.js';
import { describeStatus, LedgerUnavailableError } from '../ledger/ledger.js';
import { RETRY_BOUNDS, WORKER_BOUNDS } from '../batch/plan.js';
import { parseCourseTarget } from '../domain/course-target.js';
import type { RestoreFlags } from '../domain/restore-flags.js';
import { runBatch } from '../batch/run-batch.js';
import { failsTheRun, oneLine } from '../rules/outcome-text.js';
import {
  LoginError,
  restoreCourses,
  saveSessionInteractively,
  type CourseOrder,
} from '../session/restore-session.js';
import { describeLedgerLocation, openLedger } from '../ledger/open-ledger.js';
import { unexpectedStop } from '../session/stop-line.js';

const HELP = `ecampus-restore: restore last year's Moodle courses into this year's platform, safely.

Usage:
  ecampus-restore restore <course>... [--dry-run] [--force] [--allow-enrolment-loss] [--allow-stale]
                                          Restore each vert course (id or short name) from its bleu
                                          backup, as the procedure says. --dry-run stops at Review;
                                          --force restores a course the ledger marks as done;
                                          --allow-enrolment-loss goes on although co-teachers or
                                          hand-enrolled students would lose their enrolment;
                                          --allow-stale restores a backup older than bleu's course
  ecampus-restore batch <courses.csv> [--workers N] [--shard i/n] [--retries N] [same flags]
                                          Restore every course of the file (checked whole first),
                                          N at a time; the same file again skips what is done and
                                          retries what failed before Perform. Writes an HTML report,
                                          summary.json and summary.csv in the run's folder
  ecampus-restore login                   Open a visible browser on vert, log in by hand (SSO/CAS),
                                          save the session to MOODLE_STORAGE_STATE
  ecampus-restore check-config            Read .env and the environment, print the settings in force
  ecampus-restore validate <courses.csv>  Check a batch file: columns course[,bleu_shortname][,note]
  ecampus-restore ledger <course>...      Say whether each vert course (id, or short name as recorded)
                                          was restored, left half done, or released before Perform
  ecampus-restore verify-evidence <dir> [--chain <hash>]
                                          Check a run's evidence: its manifest's hash chain, the
                                          SHA-256 of every file, no file added, none outside the
                                          folder; and that the chain ends at the hash the ledger
                                          recorded when the run ended (or the one given)
  ecampus-restore --help                  This text

Settings come from .env or the environment (see .env.example); a wrong value stops here, naming it.
Exit codes: 0 success, 1 refused or failed (a one-line reason is printed), 2 bad usage or settings.`;

type Outcome = { code: 0 | 1 | 2; lines: string[] };

async function main(argv: string[]): Promise<Outcome> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'allow-enrolment-loss': { type: 'boolean', default: false },
      'allow-stale': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      shard: { type: 'string' },
      retries: { type: 'string', default: '1' },
      chain: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if (values.help === true) return { code: 0, lines: [HELP] };
  if (command === undefined) return { code: 2, lines: [HELP] };

  const flags: RestoreFlags = {
    dryRun: values['dry-run'],
    force: values.force,
    allowEnrolmentLoss: values['allow-enrolment-loss'],
    allowStale: values['allow-stale'],
  };
  switch (command) {
    case 'restore':
      return restore(rest, flags);
    case 'batch':
      return batch(rest, {
        workers: values.workers,
        retries: values.retries,
        ...(values.shard !== undefined && { shard: values.shard }),
        options: flags,
      });
    case 'login':
      return saveLogin(loadSettings());
    case 'check-config':
      return describeConfig(loadConfig());
    case 'validate':
      return validate(rest);
    case 'ledger':
      return showLedger(loadSettings(), rest);
    case 'verify-evidence':
      return checkEvidence(rest, values.chain);
    default:
      return { code: 2, lines: [`unknown command "${command}"; see ecampus-restore --help`] };
  }
}

async function restore(courses: string[], flags: RestoreFlags): Promise<Outcome> {
  if (courses.length === 0)
    return { code: 2, lines: ['usage: ecampus-restore restore <course>... [--dry-run] [--force]'] };
  const targets = courses.map((course) => ({ course, target: parseCourseTarget(course) }));
  const problems = targets.flatMap(({ target }) => (typeof target === 'string' ? [target] : []));
  if (problems.length > 0) return { code: 2, lines: [`nothing was run: ${problems.join('; ')}`] };
  const orders: CourseOrder[] = targets.flatMap(({ course, target }) =>
    typeof target === 'string' ? [] : [{ target, label: course }],
  );
  const results = await restoreCourses(loadConfig(), orders, {
    ...flags,
    onOutcome: (order, outcome, evidenceDir, chainHead) => {
      process.stdout.write(`${oneLine(order.label, outcome)}  [evidence: ${evidenceDir}]\n`);
      process.stdout.write(`  evidence sealed: chain ${chainHead} (recorded in the ledger)\n`);
    },
  });
  const allGood = !results.some((result) => failsTheRun(result.outcome));
  const failed = results.filter((result) => result.supportMessage !== undefined);
  return {
    code: allGood ? 0 : 1,
    lines: failed.map(
      (result) => `${result.course}: support message ready in ${result.evidenceDir}/support-message.txt`,
    ),
  };
}

async function batch(
  files: string[],
  request: { workers: string; retries: string; shard?: string; options: RestoreFlags },
): Promise<Outcome> {
  const [file] = files;
  if (file === undefined || files.length > 1)
    return { code: 2, lines: ['usage: ecampus-restore batch <courses.csv> [--workers N] [--shard i/n]'] };
  const workers = wholeNumber('--workers', request.workers, WORKER_BOUNDS);
  const retries = wholeNumber('--retries', request.retries, RETRY_BOUNDS);
  if (typeof workers === 'string' || typeof retries === 'string')
    return { code: 2, lines: [[workers, retries].filter((v) => typeof v === 'string').join('; ')] };
  const result = await runBatch({
    courseList: file,
    workers,
    retries,
    ...(request.shard !== undefined && { shard: request.shard }),
    options: request.options,
  });
  return {
    code: result.exitCode === 0 ? 0 : 1,
    lines: [`batch folder: ${result.runDir}`],
  };
}

function wholeNumber(
  flag: string,
  value: string,
  { min, max }: { min: number; max: number },
): number | string {
  const number = Number(value);
  return /^\d+$/.test(value) && number >= min && number <= max
    ? number
    : `${flag} must be a whole number from ${min} to ${max}, got "${value}"`;
}

async function saveLogin(settings: Settings): Promise<Outcome> {
  const target = settings.storageStatePath;
  if (target === undefined) {
    return { code: 2, lines: ['MOODLE_STORAGE_STATE: set it to the file where the session is to be saved'] };
  }
  const file = await saveSessionInteractively(settings, target);
  return { code: 0, lines: [`session saved to ${file} (owner-only); set MOODLE_STORAGE_STATE to use it`] };
}

function describeConfig(config: Config): Outcome {
  const who =
    config.credentials.kind === 'password'
      ? `${config.credentials.username} (password set)`
      : `storage state ${config.credentials.storageStatePath}`;
  return {
    code: 0,
    lines: [
      `vert:      ${config.vertUrl}`,
      `bleu:      ${config.bleuUrl}`,
      `login:     ${who}`,
      `session:   ${config.storageStatePath ?? 'none saved (MOODLE_STORAGE_STATE: where `login` saves one)'}`,
      `release:   ${config.moodleVersion === undefined ? 'not configured (any release the robot knows, read from the site)' : `Moodle ${config.moodleVersion}`}`,
      `block:     block_${config.blockName}, year label ${config.yearLabel}`,
      `  title:   ${config.backupBlock.titles.map((title) => `"${title}"`).join(' or ') || '(any: the block that shows the link)'}`,
      `  link:    ${config.backupBlock.linkTexts.map((text) => `"${text}"`).join(' or ')}`,
      `profile:   ${config.settingsProfile.id} (${config.settingsProfile.description})`,
      `timeouts:  step ${config.timeouts.stepMs} ms, copy ${config.timeouts.copyMs} ms, restore ${config.timeouts.restoreMs} ms`,
      `evidence:  ${config.evidenceDir}`,
      `ledger:    ${describeLedgerLocation(config)}, a claim stale after ${config.ledgerHeartbeatStaleMs} ms without a heartbeat`,
      `fetched:   ${config.keepFetchedBackup ? 'kept in the private backup area' : 'removed from the private backup area after each course'}`,
      `browser:   ${config.chromiumPath}${config.headless ? ' (headless)' : ' (visible)'}`,
      `support:   ${config.supportEmail}`,
      `report:    ${config.reportLanguage === 'fr' ? 'French' : 'English'} (REPORT_LANGUAGE)`,
      `log level: ${config.logLevel}`,
    ],
  };
}

async function validate(files: string[]): Promise<Outcome> {
  const [file] = files;
  if (file === undefined || files.length > 1)
    return { code: 2, lines: ['usage: ecampus-restore validate <courses.csv>'] };
  const requests = await readCourseList(file);
  return {
    code: 0,
    lines: [
      `${file}: ${requests.length} course(s), valid`,
      ...requests.map((request) => {
        const target = request.target.kind === 'id' ? `id ${request.target.id}` : request.target.shortname;
        const from = request.bleuShortname === undefined ? '' : ` ← bleu ${request.bleuShortname}`;
        return `  line ${request.line}: ${target}${from}${request.note === undefined ? '' : `  (${request.note})`}`;
      }),
    ],
  };
}

async function showLedger(settings: Settings, courses: string[]): Promise<Outcome> {
  if (courses.length === 0) return { code: 2, lines: ['usage: ecampus-restore ledger <course>...'] };
  if (settings.ledgerUrl === undefined && !existsSync(settings.ledgerPath)) {
    return {
      code: 0,
      lines: courses.map((course) => `${course}: never restored (no ledger yet at ${settings.ledgerPath})`),
    };
  }
  const ledger = await openLedger(settings);
  try {
    const lines: string[] = [];
    for (const course of courses) {
      if (/^\d+$/.test(course)) {
        lines.push(`${course}: ${describeStatus(await ledger.status(Number(course)))}`);
        continue;
      }
      const records = await ledger.findByLabel(course);
      if (records.length === 0) {
        lines.push(
          `${course}: no course recorded under this short name (the ledger knows courses by vert course id: give the id to be sure)`,
        );
      }
      for (const record of records) {
        const status = await ledger.status(record.courseId);
        lines.push(`${course} (vert course id ${record.courseId}): ${describeStatus(status)}`);
      }
    }
    return { code: 0, lines };
  } finally {
    await ledger.close();
  }
}

async function checkEvidence(dirs: string[], chain: string | undefined): Promise<Outcome> {
  const [dir] = dirs;
  if (dir === undefined || dirs.length > 1)
    return { code: 2, lines: ['usage: ecampus-restore verify-evidence <dir> [--chain <hash>]'] };
  const anchor = await ledgerAnchor(dir, chain, () => loadSettings());
  const check = await verifyEvidence(dir, {
    ...(anchor.expectedHead !== undefined && { expectedHead: anchor.expectedHead }),
  });
  const problems = [...anchor.problems, ...check.problems];
  return problems.length === 0
    ? {
        code: 0,
        lines: [
          `${dir}: every file matches the manifest's chain, ending at ${check.chainHead ?? ''}`,
          `  ${anchor.note}`,
        ],
      }
    : {
        code: 1,
        lines: [`${dir}: evidence does not match its manifest`, ...problems.map((p) => `  ${p}`)],
      };
}

try {
  const outcome = await main(process.argv.slice(2));
  (outcome.code === 0 ? process.stdout : process.stderr).write(`${outcome.lines.join('\n')}\n`);
  process.exitCode = outcome.code;
} catch (error) {
  if (error instanceof ConfigError || error instanceof CourseListError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof LedgerUnavailableError || error instanceof LoginError) {
    // Nothing was touched: the ledger and the login come before any course.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`${error.message}; see ecampus-restore --help\n`);
    process.exitCode = 2;
  } else {
    const stop = await unexpectedStop(error);
    process.stderr.write(`${stop.line}\n`);
    process.exitCode = stop.exitCode;
  }
}
