/**
 * `npm run regression [-- --versions 4.4,5.0] [--grep …] [--grep-invert …]`: the real-Moodle suite (Playwright project e2e, whose
 * setup brings the release's harness up and resets it) on each release whose code tree is here, one
 * after the other, then one matrix test × release in regression/<stamp>/regression.json and
 * regression.html. A release without a tree is listed as not run, with why. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { down, status } from './harness.js';
import { findTree, howToProvideTree } from './moodle-tree.js';
import { MOODLE_VERSIONS, type MoodleVersion } from './paths.js';
import {
  addToMatrix,
  cellsOfReport,
  countOutcomes,
  fillNotRun,
  firstLines,
  renderHtml,
  type Matrix,
  type PlaywrightJsonReport,
  type VersionRun,
} from './regression-report.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function runPlaywright(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['playwright', 'test', ...args], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function runVersion(version: MoodleVersion, dir: string, extraArgs: string[]): Promise<VersionRun> {
  let tree;
  try {
    tree = findTree(version);
  } catch (error) {
    return { version, state: 'not run', why: (error as Error).message };
  }
  if (!tree) return { version, state: 'not run', why: howToProvideTree(version).split('\n')[0] ?? 'no tree' };
  const versionDir = path.join(dir, version);
  mkdirSync(versionDir, { recursive: true });
  const jsonFile = path.join(versionDir, 'results.json');
  const htmlReport = path.join(versionDir, 'playwright-report');
  const before = status(version);
  const wasUp = before.sites.bleu.up || before.sites.vert.up;
  console.log(`\nregression: Moodle ${version} (${tree.release}) from ${tree.dir}`);
  const started = Date.now();
  const exitCode = await runPlaywright(
    [
      `--config=${path.join(ROOT, 'harness', 'regression.config.ts')}`,
      '--project=e2e',
      `--output=${path.join(versionDir, 'test-results')}`,
      ...extraArgs,
    ],
    { ...process.env, MOODLE_VERSION: version, REGRESSION_VERSION_DIR: versionDir },
  );
  const wallSeconds = Math.round((Date.now() - started) / 1000);
  // Sites this run started are stopped again; sites someone had up stay up.
  if (!wasUp) down(version);
  const run: VersionRun = {
    version,
    state: 'run',
    release: tree.release,
    wallSeconds,
    exitCode,
    htmlReport,
  };
  if (!existsSync(jsonFile)) {
    run.globalErrors = [`Playwright wrote no JSON report (exit ${exitCode})`];
    return run;
  }
  const report = JSON.parse(readFileSync(jsonFile, 'utf8')) as PlaywrightJsonReport;
  run.counts = countOutcomes(cellsOfReport(report).map((row) => row.cell));
  const errors = (report.errors ?? []).map((error) => firstLines(error.message ?? '', 10));
  if (errors.length > 0) run.globalErrors = errors;
  return run;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      versions: { type: 'string' },
      grep: { type: 'string' },
      // Tests to leave out, e.g. those that stop the database server every release shares, when two
      // releases' regressions run at once.
      'grep-invert': { type: 'string' },
      out: { type: 'string', default: path.join(ROOT, 'regression') },
      // Earlier runs (regression/<stamp> folders) whose releases make one matrix, nothing re-run.
      combine: { type: 'string' },
      // With --combine: why a release was not run, e.g. --why-not '4.5=its sites were in use'.
      'why-not': { type: 'string', multiple: true },
    },
  });
  if (values.combine) {
    const whyNot = Object.fromEntries(
      (values['why-not'] ?? []).map((entry) => [
        entry.split('=')[0] ?? '',
        entry.slice(entry.indexOf('=') + 1),
      ]),
    );
    return combine(values.combine.split(','), path.resolve(values.out), whyNot);
  }
  const selected = (values.versions ?? MOODLE_VERSIONS.join(','))
    .split(',')
    .map((version) => version.trim())
    .filter(Boolean);
  for (const version of selected) {
    if (!(MOODLE_VERSIONS as readonly string[]).includes(version))
      throw new Error(`--versions: ${version} is not one of ${MOODLE_VERSIONS.join(', ')}`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(path.resolve(values.out), stamp);
  mkdirSync(dir, { recursive: true });
  const matrix: Matrix = { stamp, startedAt: new Date().toISOString(), versions: [], tests: [] };
  const extraArgs = [
    ...(values.grep ? [`--grep=${values.grep}`] : []),
    ...(values['grep-invert'] ? [`--grep-invert=${values['grep-invert']}`] : []),
  ];
  const write = () => {
    fillNotRun(matrix);
    writeFileSync(path.join(dir, 'regression.json'), `${JSON.stringify(matrix, null, 2)}\n`);
    writeFileSync(path.join(dir, 'regression.html'), renderHtml(matrix, dir));
  };
  for (const version of MOODLE_VERSIONS) {
    if (!selected.includes(version)) {
      matrix.versions.push({ version, state: 'not run', why: 'not selected (--versions)' });
      continue;
    }
    const run = await runVersion(version, dir, extraArgs);
    matrix.versions.push(run);
    const jsonFile = path.join(dir, version, 'results.json');
    if (run.state === 'run' && existsSync(jsonFile))
      addToMatrix(matrix, version, JSON.parse(readFileSync(jsonFile, 'utf8')) as PlaywrightJsonReport);
    write();
  }
  matrix.finishedAt = new Date().toISOString();
  write();
  console.log(`\nregression: ${path.join(dir, 'regression.html')}`);
  for (const run of matrix.versions) {
    console.log(
      run.state === 'run'
        ? `  ${run.version}: ${run.release ?? ''}, ${run.wallSeconds ?? '?'} s, ${JSON.stringify(run.counts ?? {})}`
        : `  ${run.version}: not run (${run.why ?? ''})`,
    );
  }
  const failed = matrix.versions.some((run) => run.state === 'run' && run.exitCode !== 0);
  return failed ? 1 : 0;
}

/** One matrix from the releases earlier runs did run (the latest run of each release wins). */
function combine(runDirs: string[], out: string, whyNot: Record<string, string>): number {
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-combined`;
  const dir = path.join(out, stamp);
  mkdirSync(dir, { recursive: true });
  // A release run several times (a partial run, then the tests it left): the runs are read in the
  // order given, and a test's later result replaces its earlier one.
  const runs = new Map<string, { run: VersionRun; dir: string }[]>();
  for (const runDir of runDirs) {
    const earlier = JSON.parse(readFileSync(path.join(runDir, 'regression.json'), 'utf8')) as Matrix;
    for (const run of earlier.versions)
      if (run.state === 'run')
        runs.set(run.version, [...(runs.get(run.version) ?? []), { run, dir: path.resolve(runDir) }]);
  }
  const matrix: Matrix = { stamp, startedAt: new Date().toISOString(), versions: [], tests: [] };
  for (const version of MOODLE_VERSIONS) {
    const found = runs.get(version);
    if (!found?.length) {
      const tree = (() => {
        try {
          return findTree(version);
        } catch {
          return undefined;
        }
      })();
      matrix.versions.push({
        version,
        state: 'not run',
        why:
          whyNot[version] ??
          (tree ? 'not run in the combined runs' : (howToProvideTree(version).split('\n')[0] ?? 'no tree')),
      });
      continue;
    }
    const last = found[found.length - 1] as { run: VersionRun; dir: string };
    const combined: VersionRun = {
      ...last.run,
      wallSeconds: found.reduce((sum, { run }) => sum + (run.wallSeconds ?? 0), 0),
    };
    matrix.versions.push(combined);
    for (const { dir: runDir } of found) {
      const report = JSON.parse(
        readFileSync(path.join(runDir, version, 'results.json'), 'utf8'),
      ) as PlaywrightJsonReport;
      addToMatrix(matrix, version, report);
    }
    const cells = matrix.tests.flatMap((test) => (test.cells[version] ? [test.cells[version]] : []));
    combined.counts = countOutcomes(cells);
  }
  matrix.finishedAt = new Date().toISOString();
  fillNotRun(matrix);
  writeFileSync(path.join(dir, 'regression.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  writeFileSync(path.join(dir, 'regression.html'), renderHtml(matrix, dir));
  console.log(`regression: ${path.join(dir, 'regression.html')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`regression: ${(error as Error).message}`);
    process.exit(2);
  },
);
