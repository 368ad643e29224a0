import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BatchPlan } from '../plan.js';
import type { SummaryRow } from '../summary.js';

/** Someone the restore took out of the course (issue 27's `lostAccess`, when the summary has it). */
export interface LostAccess {
  fullname: string;
  role: string;
  method: string;
}

/** One course as the run's page shows it; every path is relative to the batch folder. */
export interface RunPageRow {
  line: number;
  course: string;
  /** The summary's status, as it is (an outcome this page does not know is shown as-is). */
  status: string;
  /** What the page counts and filters by: the status, with a failed course split at Perform. */
  category: string;
  step: string;
  reason: string;
  /** Extra facts for the reason column: the restore's checked counts, an earlier restore's date. */
  restoredCounts?: { activities: number; sections: number };
  restoredAt?: string;
  vertCourseUrl: string;
  bleuCourseUrl?: string;
  /** True when the bleu link is a search by short name (the course's bleu id is not known). */
  bleuIsSearch: boolean;
  backupFile: string;
  /** Undefined when the summary does not say. */
  lostAccess?: LostAccess[];
  courseEmptied: boolean;
  durationMs?: number;
  attempts: number;
  evidenceDir?: string;
  lastScreen?: { file: string; step: string };
  supportMessage?: { subject: string; body: string };
}

export interface RunPageModel {
  runId: string;
  vertUrl: string;
  dryRun: boolean;
  startedAt?: string;
  endedAt?: string;
  rows: RunPageRow[];
}

export interface RunPageSources {
  /** Where bleu's courses are linked to (the settings' BLEU_URL). */
  bleuUrl: string;
}

/** Everything the page needs, read from the batch folder: summary.json, plan.json, each course's evidence. */
export function readRun(runDir: string, sources: RunPageSources): RunPageModel {
  const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as SummaryRow[];
  const plan = JSON.parse(readFileSync(path.join(runDir, 'plan.json'), 'utf8')) as BatchPlan;
  const locate = inRunDir(runDir, plan.runDir);
  const rows = summary.map((row) => courseRow(row, plan, locate, runDir, sources));
  const starts = summary.map((row) => row.startedAt).filter(Boolean);
  const ends = summary.map((row) => row.endedAt).filter(Boolean);
  return {
    runId: plan.runId,
    vertUrl: plan.vertUrl,
    dryRun: plan.options.dryRun,
    ...(starts.length > 0 && { startedAt: starts.reduce((a, b) => (a < b ? a : b)) }),
    ...(ends.length > 0 && { endedAt: ends.reduce((a, b) => (a > b ? a : b)) }),
    rows,
  };
}

export function categoryOf(status: string, courseEmptied: boolean): string {
  if (status === 'failed') return courseEmptied ? 'emptied' : 'failed';
  return status;
}

function courseRow(
  row: SummaryRow,
  plan: BatchPlan,
  locate: (file: string) => string | undefined,
  runDir: string,
  sources: RunPageSources,
): RunPageRow {
  const evidenceDir = row.evidence ? locate(row.evidence) : undefined;
  const evidenceAbs = evidenceDir === undefined ? undefined : path.join(runDir, evidenceDir);
  const request = plan.courses.find((course) => course.line === row.line);
  const bleu = bleuLink(sources.bleuUrl, evidenceAbs, request?.bleuShortname ?? shortnameOf(request, row));
  const outcome = outcomeDetails(path.join(runDir, 'outcomes', `line-${row.line}.json`));
  const lastScreen = evidenceAbs === undefined ? undefined : lastScreenOf(evidenceAbs, row.step);
  const supportFile = row.supportMessage ? locate(row.supportMessage) : undefined;
  const durationMs =
    row.startedAt && row.endedAt ? Date.parse(row.endedAt) - Date.parse(row.startedAt) : Number.NaN;
  // summary.json names the losses in one text (access-loss.ts's describeLosses), one entry here.
  const lostAccess =
    lostAccessOf((row as SummaryRow & { lostAccess?: unknown }).lostAccess) ??
    (row.status === 'restored'
      ? row.accessLost
        ? [{ fullname: row.accessLost, role: '', method: '' }]
        : []
      : undefined);
  return {
    line: row.line,
    course: row.course,
    status: row.status,
    category: categoryOf(row.status, row.courseEmptied),
    step: row.step,
    reason: row.reason,
    ...outcome,
    vertCourseUrl: row.vertCourseUrl,
    ...(bleu !== undefined && { bleuCourseUrl: bleu.url }),
    bleuIsSearch: bleu?.search ?? false,
    backupFile: row.backupFile || outcome.backupFile || '',
    ...(lostAccess !== undefined && { lostAccess }),
    courseEmptied: row.courseEmptied,
    ...(Number.isFinite(durationMs) && durationMs >= 0 && { durationMs }),
    attempts: row.attempts,
    ...(evidenceDir !== undefined && { evidenceDir }),
    ...(evidenceDir !== undefined &&
      lastScreen !== undefined && {
        lastScreen: { file: path.join(evidenceDir, lastScreen.file), step: lastScreen.step },
      }),
    ...(supportFile !== undefined && {
      supportMessage: readSupportMessage(path.join(runDir, supportFile)),
    }),
  };
}

/**
 * A path the batch recorded (absolute, where the batch ran) as a path in this batch folder, which may
 * since have been moved or copied: undefined when it is in neither.
 */
function inRunDir(runDir: string, recordedRunDir: string) {
  return (file: string): string | undefined => {
    const candidates = [
      path.isAbsolute(file) ? path.relative(recordedRunDir, file) : file,
      path.relative(runDir, file),
    ];
    return candidates.find(
      (relative) =>
        relative !== '' &&
        !relative.startsWith('..') &&
        !path.isAbsolute(relative) &&
        existsSync(path.join(runDir, relative)),
    );
  };
}

function shortnameOf(request: BatchPlan['courses'][number] | undefined, row: SummaryRow): string | undefined {
  if (request === undefined) return /^\d+$/.test(row.course) ? undefined : row.course;
  return request.target.kind === 'shortname' ? request.target.shortname : undefined;
}

/** Bleu's course by its id when the robot found it there, else Moodle's course search by short name. */
function bleuLink(bleuUrl: string, evidenceDir: string | undefined, shortname: string | undefined) {
  const file = evidenceDir === undefined ? undefined : path.join(evidenceDir, 'bleu-course.json');
  if (file !== undefined && existsSync(file)) {
    const { id } = JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown };
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0)
      return { url: `${bleuUrl}/course/view.php?id=${id}`, search: false };
  }
  if (shortname === undefined) return undefined;
  return { url: `${bleuUrl}/course/search.php?search=${encodeURIComponent(shortname)}`, search: true };
}

function outcomeDetails(file: string): Pick<RunPageRow, 'restoredCounts' | 'restoredAt'> & {
  backupFile?: string;
} {
  if (!existsSync(file)) return {};
  const record = JSON.parse(readFileSync(file, 'utf8')) as {
    result?: {
      outcome?: {
        backupFile?: unknown;
        restoredAt?: unknown;
        verification?: { counts?: { restoredActivities?: unknown; restoredSections?: unknown } };
      };
    };
  };
  const outcome = record.result?.outcome;
  const counts = outcome?.verification?.counts;
  return {
    ...(typeof outcome?.backupFile === 'string' && { backupFile: outcome.backupFile }),
    ...(typeof outcome?.restoredAt === 'string' && { restoredAt: outcome.restoredAt }),
    ...(typeof counts?.restoredActivities === 'number' &&
      typeof counts.restoredSections === 'number' && {
        restoredCounts: { activities: counts.restoredActivities, sections: counts.restoredSections },
      }),
  };
}

/**
 * The course's last screen: the last shot of the step it stopped at (vert and bleu are photographed in
 * parallel, so the run's last shot may be of the other site), else the manifest's last shot, else the
 * last numbered PNG when there is no manifest.
 */
function lastScreenOf(evidenceDir: string, stoppedAt: string): { file: string; step: string } | undefined {
  const manifestFile = path.join(evidenceDir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      screenshots?: { file?: unknown; step?: unknown }[];
    };
    const shots = manifest.screenshots ?? [];
    const shot = (stoppedAt ? shots.filter((s) => s.step === stoppedAt).at(-1) : undefined) ?? shots.at(-1);
    if (typeof shot?.file === 'string' && existsSync(path.join(evidenceDir, shot.file)))
      return { file: shot.file, step: typeof shot.step === 'string' ? shot.step : '' };
  }
  if (!statSync(evidenceDir).isDirectory()) return undefined;
  const last = readdirSync(evidenceDir)
    .filter((name) => name.endsWith('.png'))
    .sort()
    .at(-1);
  return last === undefined ? undefined : { file: last, step: '' };
}

function readSupportMessage(file: string): { subject: string; body: string } {
  const [subject = '', ...rest] = readFileSync(file, 'utf8').split('\n');
  return { subject, body: rest.join('\n').trim() };
}

function lostAccessOf(value: unknown): LostAccess[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const text = (field: unknown) => (typeof field === 'string' ? field : '');
  return value.map((entry: unknown) => {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const user = (typeof item['user'] === 'object' && item['user'] !== null ? item['user'] : {}) as Record<
      string,
      unknown
    >;
    return {
      fullname: text(item['fullname']) || text(item['name']) || text(user['fullname']),
      role: text(item['role']),
      method: text(item['method']),
    };
  });
}
