import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { scratchDir } from '../helpers/scratch-dir.js';
import {
  addToMatrix,
  cellsOfReport,
  countOutcomes,
  fillNotRun,
  renderHtml,
  type Matrix,
  type PlaywrightJsonReport,
} from '../../harness/regression-report.js';

function report(outputDir: string): PlaywrightJsonReport {
  return {
    suites: [
      {
        title: 'restore-course.test.ts',
        file: 'restore-course.test.ts',
        specs: [
          {
            title: 'ANG-EC1 is restored',
            file: 'restore-course.test.ts',
            tests: [
              { projectName: 'e2e', status: 'expected', results: [{ status: 'passed', duration: 1200 }] },
            ],
          },
          {
            title: 'HIST-GRP is restored',
            file: 'restore-course.test.ts',
            tests: [
              {
                projectName: 'e2e',
                status: 'unexpected',
                results: [
                  {
                    status: 'failed',
                    duration: 3000,
                    errors: [{ message: '\u001b[31mError: settings: locator not found\u001b[39m\nmore' }],
                    attachments: [
                      {
                        name: 'screenshot',
                        contentType: 'image/png',
                        path: path.join(outputDir, 'test-failed-1.png'),
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        suites: [
          {
            title: 'French',
            specs: [
              {
                title: 'in French',
                file: 'restore-course.test.ts',
                tests: [
                  {
                    projectName: 'e2e',
                    status: 'skipped',
                    annotations: [{ type: 'skip', description: 'no French language pack' }],
                    results: [{ status: 'skipped', duration: 0 }],
                  },
                ],
              },
              {
                title: 'after a failure',
                file: 'restore-course.test.ts',
                tests: [
                  {
                    projectName: 'e2e',
                    status: 'skipped',
                    annotations: [{ type: 'serial' }],
                    results: [{ status: 'skipped', duration: 0 }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

test('a Playwright JSON report becomes cells: pass, fail with its failed step screenshot, skipped with why', () => {
  const outputDir = scratchDir('regression');
  const run = path.join(outputDir, 'evidence', '2026-run-hist-grp');
  mkdirSync(run, { recursive: true });
  writeFileSync(
    path.join(run, 'manifest.json'),
    JSON.stringify({
      steps: [
        { step: 'confirm', outcome: 'done' },
        { step: 'settings', outcome: 'failed' },
      ],
      screenshots: [
        { step: 'confirm', file: '001-confirm-after.png' },
        { step: 'settings', file: '002-settings-after.png' },
        { step: 'support', file: '003-support-after.png' },
      ],
    }),
  );
  const rows = cellsOfReport(report(outputDir));
  expect(rows.map((row) => [row.id, row.cell.outcome])).toEqual([
    ['e2e › restore-course.test.ts › ANG-EC1 is restored', 'pass'],
    ['e2e › restore-course.test.ts › HIST-GRP is restored', 'fail'],
    ['e2e › restore-course.test.ts › French › in French', 'skipped'],
    ['e2e › restore-course.test.ts › French › after a failure', 'not run'],
  ]);
  expect(rows[1]?.cell.error).toBe('Error: settings: locator not found\nmore');
  expect(rows[1]?.cell.screenshot).toBe(path.join(run, '002-settings-after.png'));
  expect(rows[2]?.cell.why).toBe('no French language pack');
  expect(rows[3]?.cell.why).toBe('an earlier test of this serial file failed');
  expect(countOutcomes(rows.map((row) => row.cell))).toEqual({ pass: 1, fail: 1, skipped: 1, 'not run': 1 });
});

test('the matrix lists releases not run with why, and every test in every column', () => {
  const outputDir = scratchDir('regression');
  const matrix: Matrix = {
    stamp: 's',
    startedAt: 'a',
    versions: [
      { version: '4.4', state: 'not run', why: 'No Moodle 4.4 code tree was found.' },
      { version: '4.5', state: 'run', release: '4.5.5+', wallSeconds: 10, exitCode: 1 },
    ],
    tests: [],
  };
  addToMatrix(matrix, '4.5', report(outputDir));
  fillNotRun(matrix);
  expect(matrix.tests).toHaveLength(4);
  expect(matrix.tests[0]?.cells['4.4']).toEqual({
    outcome: 'not run',
    why: 'No Moodle 4.4 code tree was found.',
  });
  const html = renderHtml(matrix, outputDir);
  expect(html).toContain('not run: No Moodle 4.4 code tree was found.');
  expect(html).toContain('href="test-failed-1.png"');
  expect(html).not.toContain('\u001b');
});
