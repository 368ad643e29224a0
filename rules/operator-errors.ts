import { SESSION_EXPIRED } from './session-loss.js';
/**
 * What a person reads when something they can cause or meet stops the robot: one line naming the
 * place (vert, bleu, the ledger, the evidence folder), the cause and what to do, with the exit code
 * the README promises. Pure: it reads an error's name, code and message, never the network.
 */

export type Place = 'vert' | 'bleu' | 'the ledger' | 'the evidence folder' | 'the robot';

export interface OperatorError {
  place: Place;
  /** "is unreachable: nothing answers at http://…" */
  cause: string;
  /** "check BLEU_URL and that bleu is up, then run the same command again" */
  action: string;
  /** README: 1 refused or failed, 2 bad usage or settings. */
  exitCode: 1 | 2;
  /** Whether it concerns every course of the run (a site, the login, the ledger), not one course. */
  wholeRun: boolean;
}

export interface ErrorContext {
  vertUrl?: string;
  bleuUrl?: string;
  ledgerPath?: string;
  evidenceDir?: string;
  /** The site being worked on when the error does not name one (the page's own site). */
  site?: 'vert' | 'bleu';
}

/** A problem that concerns the whole run: it stops before (or instead of) the next course, once. */
export class RunStopped extends Error {
  constructor(
    readonly problem: OperatorError,
    readonly evidenceDir?: string,
  ) {
    super(operatorLine(problem));
    this.name = 'RunStopped';
  }
}

export function operatorLine(problem: OperatorError): string {
  return `${problem.place} ${problem.cause}: ${problem.action}`;
}

const VARIABLE: Record<'vert' | 'bleu', string> = { vert: 'VERT_URL', bleu: 'BLEU_URL' };

const AGAIN = 'then run the same command again';

/**
 * The operator's reading of an error, or undefined when it is none of the known ones (a bug, or a
 * Moodle page the robot did not expect: the caller keeps its own message).
 */
export function classifyError(error: unknown, context: ErrorContext = {}): OperatorError | undefined {
  if (error instanceof RunStopped) return error.problem;
  const { name, code, message } = facts(error);
  const site = siteOf(message, context);
  const where = site === undefined ? '' : ` at ${urlOf(site, message, context)}`;
  const place: Place = site ?? 'the robot';
  const variable = site === undefined ? 'VERT_URL or BLEU_URL' : VARIABLE[site];

  if (name === 'LoginError') return loginProblem(message, site ?? 'vert');

  const net = /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  if (net !== undefined) {
    if (net === 'ERR_NAME_NOT_RESOLVED' || net === 'ERR_NAME_RESOLUTION_FAILED')
      return {
        place,
        cause: `is unreachable: its host name is not known (DNS, ${net})${where}`,
        action: `check the spelling of ${variable}, the network or the VPN, ${AGAIN}`,
        exitCode: 1,
        wholeRun: true,
      };
    if (net.startsWith('ERR_CERT_') || net.startsWith('ERR_SSL_') || net === 'ERR_BAD_SSL_CLIENT_AUTH_CERT')
      return {
        place,
        cause: `refused a secure connection: its TLS certificate is not valid for the browser (${net})${where}`,
        action: `check that ${variable} is the site's real address; an expired or untrusted certificate is for the site's administrators to fix (never turn the check off)`,
        exitCode: 1,
        wholeRun: true,
      };
    if (net === 'ERR_CONNECTION_REFUSED' || net === 'ERR_ADDRESS_UNREACHABLE')
      return {
        place,
        cause: `is unreachable: nothing answers${where} (${net})`,
        action: `check ${variable} and that the site is up (open it in a browser), ${AGAIN}`,
        exitCode: 1,
        wholeRun: true,
      };
    if (net === 'ERR_CONNECTION_TIMED_OUT' || net === 'ERR_TIMED_OUT')
      return {
        place,
        cause: `did not answer in time${where} (${net})`,
        action: `check ${variable}, the network or the VPN, and that the site is up, ${AGAIN}`,
        exitCode: 1,
        wholeRun: true,
      };
    return {
      place,
      cause: `lost the connection${where} (${net})`,
      action: `check the network and that the site is up, ${AGAIN}`,
      exitCode: 1,
      wholeRun: false,
    };
  }

  if (/maintenance/i.test(message) && (site !== undefined || /HTTP 503/.test(message)))
    return {
      place,
      cause: `is in maintenance mode${where}`,
      action: `wait until its administrators end the maintenance, ${AGAIN}`,
      exitCode: 1,
      wholeRun: true,
    };

  // What the release was read from may hold parentheses of its own ("… served (5.1 or later; …)").
  const release = /runs Moodle (\S+) \((.*)\), but Moodle (\S+) is configured \(MOODLE_VERSION\)/.exec(
    message,
  );
  if (release)
    return {
      place,
      cause: `runs Moodle ${release[1] ?? '?'}, not the Moodle ${release[3] ?? '?'} configured (MOODLE_VERSION; read from ${release[2] ?? 'the site'})`,
      action: `if the site was upgraded, set MOODLE_VERSION=${release[1] ?? ''} (or leave it empty to accept what the site runs) once the robot is known to work there; otherwise check ${variable}`,
      exitCode: 1,
      wholeRun: true,
    };
  const unknownRelease = /runs Moodle (\S+) \((.*)\); this robot knows ([^:]+):/.exec(message);
  if (unknownRelease)
    return {
      place,
      cause: `runs Moodle ${unknownRelease[1] ?? '?'}, a release this robot does not know (it knows ${unknownRelease[3] ?? '?'})`,
      action: 'do not restore there until the robot is taught its screens (pages/moodle-release.ts)',
      exitCode: 1,
      wholeRun: true,
    };

  if (name === 'TimeoutError' || /^Timeout \d+ms exceeded/m.test(message)) {
    const ms = /Timeout (\d+)ms exceeded/.exec(message)?.[1];
    return {
      place,
      cause: `did not answer within ${ms === undefined ? 'the step timeout' : `${Number(ms) / 1000} s`}${where}`,
      action: `the site is slow or overloaded: try again later, or raise STEP_TIMEOUT_MS`,
      exitCode: 1,
      wholeRun: false,
    };
  }

  if (name === 'NotMoodleAnswer') {
    const status = /\(HTTP (\d+)\)/.exec(message)?.[1];
    return {
      place,
      cause: `answered with a page that is not Moodle's${status === undefined ? '' : ` (HTTP ${status})`}${where}`,
      action: `the site or a proxy in front of it has a problem: check ${variable}, try again later, and tell the site's administrators if it lasts`,
      exitCode: 1,
      wholeRun: false,
    };
  }

  if (/^SQLITE_/.test(code ?? '') || name === 'SqliteError')
    return ledgerProblem(code ?? 'SQLITE_ERROR', message, context);

  if (code === 'ENOSPC' || code === 'EDQUOT')
    return {
      place: 'the evidence folder',
      cause: `cannot be written: the disk is full (${code})${context.evidenceDir === undefined ? '' : ` at ${context.evidenceDir}`}`,
      action: `free some space there or point EVIDENCE_DIR to a disk with room, ${AGAIN}`,
      exitCode: 1,
      wholeRun: true,
    };
  if (
    (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') &&
    pathIsUnder(message, context.evidenceDir)
  )
    return {
      place: 'the evidence folder',
      cause: `cannot be written (${code}) at ${context.evidenceDir ?? ''}`,
      action: `give this account the right to write there or point EVIDENCE_DIR elsewhere, ${AGAIN}`,
      exitCode: 1,
      wholeRun: true,
    };
  if ((code === 'ENOTDIR' || code === 'EEXIST') && pathIsUnder(message, context.evidenceDir))
    return {
      place: 'the evidence folder',
      cause: `cannot be created (${code}): a file is in the way at ${context.evidenceDir ?? ''}`,
      action: `move that file, or point EVIDENCE_DIR to a folder, ${AGAIN}`,
      exitCode: 1,
      wholeRun: true,
    };
  if (code !== undefined && pathIsUnder(message, context.ledgerPath))
    return ledgerProblem(code, message, context);
  return undefined;
}

/** The operator's line for any error: the classified one, else the error's first line. */
export function describeError(error: unknown, context: ErrorContext = {}): string {
  const problem = classifyError(error, context);
  return problem === undefined ? (facts(error).message.split('\n')[0] ?? '') : operatorLine(problem);
}

function loginProblem(message: string, site: 'vert' | 'bleu'): OperatorError {
  const expired = message.indexOf(SESSION_EXPIRED);
  if (expired !== -1) {
    const detail = message.slice(expired + SESSION_EXPIRED.length).trim();
    return {
      place: site,
      cause: `${SESSION_EXPIRED}${detail === '' ? '' : ` ${detail}`}`,
      action:
        'it saves a new session to MOODLE_STORAGE_STATE; nothing was changed on any course, so run the same command again afterwards',
      exitCode: 1,
      wholeRun: true,
    };
  }
  if (/single sign-on|SSO|not Moodle's login form/i.test(message))
    return {
      place: site,
      cause: `shows a single sign-on page, not Moodle's login form (${afterColon(message)})`,
      action:
        'no session the robot can use: run `ecampus-restore login` to log in by hand, then set MOODLE_STORAGE_STATE to the saved session',
      exitCode: 1,
      wholeRun: true,
    };
  if (/refused the login/.test(message))
    return {
      place: site,
      cause: message.replace(new RegExp(`^${site} `), ''),
      action:
        "check MOODLE_USERNAME and MOODLE_PASSWORD; a locked or suspended account is for the site's administrators to unlock (Moodle locks it after several wrong passwords); then run the same command again",
      exitCode: 1,
      wholeRun: true,
    };
  return {
    place: site,
    cause: message.replace(new RegExp(`^${site} `), ''),
    action: 'check the login settings (MOODLE_USERNAME, MOODLE_PASSWORD or MOODLE_STORAGE_STATE)',
    exitCode: 1,
    wholeRun: true,
  };
}

function ledgerProblem(code: string, message: string, context: ErrorContext): OperatorError {
  const at = context.ledgerPath === undefined ? '' : ` at ${context.ledgerPath}`;
  const why: Record<string, string> = {
    SQLITE_NOTADB: 'the file is not an SQLite database',
    SQLITE_CORRUPT: 'the database is damaged',
    SQLITE_CANTOPEN: 'the file cannot be opened',
    SQLITE_READONLY: 'the file is read-only',
    SQLITE_BUSY: 'another process kept it locked too long',
    SQLITE_FULL: 'the disk is full',
    EACCES: 'this account may not read or write it',
    EPERM: 'this account may not read or write it',
    EISDIR: 'the path is a folder',
  };
  return {
    place: 'the ledger',
    cause: `is unreadable${at}: ${why[code] ?? message.split('\n')[0] ?? code} (${code})`,
    action:
      'nothing was restored; do not delete it (it records which courses are done): fix its access, or restore it from a copy, or point LEDGER_PATH to the right file, then run the same command again',
    exitCode: 1,
    wholeRun: true,
  };
}

function facts(error: unknown): { name: string; code: string | undefined; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message };
  }
  return { name: '', code: undefined, message: String(error) };
}

function origin(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The site an error's message names by its address, else the context's. */
function siteOf(message: string, context: ErrorContext): 'vert' | 'bleu' | undefined {
  const urls = [...message.matchAll(/https?:\/\/[^\s"'),]+/g)].map((match) => origin(match[0]));
  for (const site of ['vert', 'bleu'] as const) {
    const own = origin(context[site === 'vert' ? 'vertUrl' : 'bleuUrl']);
    if (own !== undefined && urls.includes(own)) return site;
  }
  if (/^(vert|bleu)\b/.test(message)) return message.startsWith('vert') ? 'vert' : 'bleu';
  return context.site;
}

function urlOf(site: 'vert' | 'bleu', message: string, context: ErrorContext): string {
  return (
    origin(context[site === 'vert' ? 'vertUrl' : 'bleuUrl']) ??
    origin(/https?:\/\/[^\s"'),]+/.exec(message)?.[0]) ??
    site
  );
}

function pathIsUnder(message: string, dir: string | undefined): boolean {
  return dir !== undefined && dir !== '' && message.includes(dir);
}

function afterColon(message: string): string {
  const index = message.indexOf(': ');
  return index < 0 ? message : message.slice(index + 2);
}
