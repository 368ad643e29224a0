import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The upgrade-regression matrix: one row per test, one column per Moodle release, read from
 * Playwright's JSON reports (one per release) and written as regression.json and regression.html.
 */

export type Outcome = 'pass' | 'fail' | 'skipped' | 'not run';

export interface Cell {
  outcome: Outcome;
  durationMs?: number;
  /** First lines of the error, for a failure. */
  error?: string;
  /** Why it was skipped (the test's own reason). */
  why?: string;
  /** The failing step's screenshot: the robot's evidence of the step that failed, else Playwright's. */
  screenshot?: string;
  flaky?: boolean;
}

export interface VersionRun {
  version: string;
  state: 'run' | 'not run';
  /** Why a release was not run (no tree, not selected, …). */
  why?: string;
  release?: string;
  wallSeconds?: number;
  exitCode?: number;
  counts?: Record<Outcome, number>;
  htmlReport?: string;
  /** Errors outside any test (a setup that crashed, a file that does not compile). */
  globalErrors?: string[];
}

export interface Matrix {
  stamp: string;
  startedAt: string;
  finishedAt?: string;
  versions: VersionRun[];
  tests: { id: string; project: string; file: string; title: string; cells: Record<string, Cell> }[];
}

/** The parts of Playwright's JSON report read here. */
interface JsonAttachment {
  name: string;
  path?: string;
  contentType: string;
}
interface JsonResult {
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  duration: number;
  errors?: { message?: string }[];
  attachments?: JsonAttachment[];
}
interface JsonTest {
  projectName: string;
  status: 'expected' | 'unexpected' | 'skipped' | 'flaky';
  annotations?: { type: string; description?: string }[];
  results: JsonResult[];
}
interface JsonSpec {
  title: string;
  file: string;
  tests: JsonTest[];
}
interface JsonSuite {
  title: string;
  file?: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
export interface PlaywrightJsonReport {
  suites?: JsonSuite[];
  errors?: { message?: string }[];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function firstLines(message: string, count = 6): string {
  return message.replace(ANSI, '').trim().split('\n').slice(0, count).join('\n');
}

/** The screenshot of the robot's failed step, from an evidence manifest under `testOutputDir`. */
export function failedStepScreenshot(testOutputDir: string): string | undefined {
  const evidenceRoot = path.join(testOutputDir, 'evidence');
  if (!existsSync(evidenceRoot)) return undefined;
  for (const run of readdirSync(evidenceRoot).sort().reverse()) {
    const manifestFile = path.join(evidenceRoot, run, 'manifest.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      steps?: { step: string; outcome: string }[];
      screenshots?: { step: string; file: string }[];
    };
    const failed = (manifest.steps ?? []).filter((step) => step.outcome === 'failed').pop();
    const shots = manifest.screenshots ?? [];
    const shot = failed
      ? shots.filter((candidate) => candidate.step === failed.step).pop()
      : shots[shots.length - 1];
    if (shot) return path.join(evidenceRoot, run, shot.file);
  }
  return undefined;
}

function cellOf(test: JsonTest): Cell {
  const last = test.results[test.results.length - 1];
  const durationMs = test.results.reduce((sum, result) => sum + result.duration, 0);
  if (test.status === 'skipped' || last?.status === 'skipped') {
    const skip = test.annotations?.find((annotation) => ['skip', 'fixme'].includes(annotation.type));
    // No skip of its own in a serial file: Playwright did not run it after an earlier failure there.
    if (!skip && test.annotations?.some((annotation) => annotation.type === 'serial'))
      return { outcome: 'not run', why: 'an earlier test of this serial file failed' };
    return { outcome: 'skipped', durationMs, ...(skip?.description && { why: skip.description }) };
  }
  if (test.status === 'expected' || test.status === 'flaky')
    return { outcome: 'pass', durationMs, ...(test.status === 'flaky' && { flaky: true }) };
  const message = (last?.errors ?? [])
    .map((error) => error.message ?? '')
    .filter(Boolean)
    .join('\n');
  const attachments = last?.attachments ?? [];
  const playwrightShot = attachments.find(
    (attachment) => attachment.name === 'screenshot' && attachment.path,
  )?.path;
  const outputDir = attachments.find((attachment) => attachment.path)?.path;
  const evidenceShot = outputDir ? failedStepScreenshot(path.dirname(outputDir)) : undefined;
  const screenshot = evidenceShot ?? playwrightShot;
  return {
    outcome: 'fail',
    durationMs,
    error: firstLines(message || `status ${last?.status ?? 'unknown'}`),
    ...(screenshot && { screenshot }),
  };
}

/** Every test of a report with its cell, keyed "project › file › describe › title". */
export function cellsOfReport(
  report: PlaywrightJsonReport,
): { id: string; project: string; file: string; title: string; cell: Cell }[] {
  const rows: { id: string; project: string; file: string; title: string; cell: Cell }[] = [];
  const walk = (suite: JsonSuite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const title = [...titles, spec.title].join(' › ');
        rows.push({
          id: `${test.projectName} › ${spec.file} › ${title}`,
          project: test.projectName,
          file: spec.file,
          title,
          cell: cellOf(test),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // The top-level suites are files: their title is the file name, not part of the test's title.
  for (const fileSuite of report.suites ?? []) walk(fileSuite, []);
  return rows;
}

export function countOutcomes(cells: readonly Cell[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, skipped: 0, 'not run': 0 };
  for (const cell of cells) counts[cell.outcome] += 1;
  return counts;
}

/** Adds one release's report to the matrix; tests a release did not list are "not run" there. */
export function addToMatrix(matrix: Matrix, version: string, report: PlaywrightJsonReport): void {
  for (const row of cellsOfReport(report)) {
    let test = matrix.tests.find((candidate) => candidate.id === row.id);
    if (!test) {
      test = { id: row.id, project: row.project, file: row.file, title: row.title, cells: {} };
      matrix.tests.push(test);
    }
    test.cells[version] = row.cell;
  }
}

/** Cells every release lacks become "not run", with the release's reason when it was not run at all. */
export function fillNotRun(matrix: Matrix): void {
  for (const test of matrix.tests) {
    for (const run of matrix.versions) {
      if (test.cells[run.version]) continue;
      test.cells[run.version] = {
        outcome: 'not run',
        why:
          run.state === 'not run'
            ? (run.why ?? 'not run')
            : 'not in this release run (did not start or was not listed)',
      };
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The matrix as one self-contained page; links (screenshots, reports) are relative to `dir`. */
export function renderHtml(matrix: Matrix, dir: string): string {
  const link = (file: string, label: string) =>
    `<a href="${escapeHtml(path.relative(dir, file))}">${escapeHtml(label)}</a>`;
  const header = matrix.versions
    .map((run) => {
      const detail =
        run.state === 'run'
          ? `${escapeHtml(run.release ?? '')}<br>${run.wallSeconds ?? '?'} s, exit ${run.exitCode ?? '?'}${run.htmlReport ? `<br>${link(path.join(run.htmlReport, 'index.html'), 'Playwright report')}` : ''}`
          : `not run: ${escapeHtml(run.why ?? '')}`;
      return `<th>Moodle ${escapeHtml(run.version)}<div class="detail">${detail}</div></th>`;
    })
    .join('');
  const rows = matrix.tests
    .map((test) => {
      const cells = matrix.versions
        .map((run) => {
          const cell = test.cells[run.version] ?? { outcome: 'not run' as const };
          const extra = [
            cell.flaky ? 'flaky' : '',
            cell.durationMs !== undefined ? `${(cell.durationMs / 1000).toFixed(1)} s` : '',
          ]
            .filter(Boolean)
            .join(', ');
          const title = escapeHtml(cell.error ?? cell.why ?? '');
          const shot = cell.screenshot ? `<br>${link(cell.screenshot, 'screenshot')}` : '';
          const error = cell.error ? `<pre>${escapeHtml(cell.error)}</pre>` : '';
          const why =
            cell.why && cell.outcome !== 'pass' ? `<div class="why">${escapeHtml(cell.why)}</div>` : '';
          return `<td class="${cell.outcome.replace(' ', '-')}" title="${title}"><b>${cell.outcome}</b>${extra ? ` <span class="detail">(${extra})</span>` : ''}${shot}${error}${why}</td>`;
        })
        .join('');
      return `<tr><td class="test"><span class="project">${escapeHtml(test.project)}</span> ${escapeHtml(test.file)}<br>${escapeHtml(test.title)}</td>${cells}</tr>`;
    })
    .join('\n');
  const globalErrors = matrix.versions
    .filter((run) => (run.globalErrors ?? []).length > 0)
    .map(
      (run) =>
        `<h2>Moodle ${escapeHtml(run.version)}: errors outside tests</h2>${(run.globalErrors ?? []).map((error) => `<pre>${escapeHtml(error)}</pre>`).join('')}`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Upgrade regression ${escapeHtml(matrix.stamp)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.4rem .6rem;vertical-align:top;font-size:.9rem}
th{background:#eee}.detail{font-weight:normal;color:#555;font-size:.8rem}
.pass{background:#dff5df}.fail{background:#fbdada}.skipped{background:#fff4cc}.not-run{background:#e6e6e6}
pre{white-space:pre-wrap;max-width:38rem;font-size:.75rem;margin:.3rem 0}.why{font-size:.8rem;color:#444}
.project{font-size:.75rem;color:#666}.test{max-width:28rem}
</style></head><body>
<h1>Upgrade regression: the suite on each Moodle release</h1>
<p>Run ${escapeHtml(matrix.stamp)}, ${escapeHtml(matrix.startedAt)} to ${escapeHtml(matrix.finishedAt ?? '(unfinished)')}. Machine-readable: <a href="regression.json">regression.json</a>.</p>
<table><thead><tr><th>Test</th>${header}</tr></thead><tbody>
${rows}
</tbody></table>
${globalErrors}
</body></html>
`;
}
