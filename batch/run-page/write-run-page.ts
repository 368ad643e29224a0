import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatchPlan } from '../plan.js';
import { readRun, type RunPageSources } from './read-run.js';
import { renderRunPage } from './render.js';
import { rerunCommand, rerunCsv, rowsToRerun } from './rerun.js';
import type { ReportLanguage } from '../../config/env.js';

export interface RunPageSettings extends RunPageSources {
  language: ReportLanguage;
  supportEmail: string;
}

export const RUN_PAGE_FILE = 'index.html';
export const RERUN_FILE = 'rerun.csv';

/**
 * Writes the batch folder's own page (index.html) from its summary.json, plan.json and evidence, and
 * the course list to run again (rerun.csv) when some course is to be. Returns the page's path.
 */
export async function writeRunPage(runDir: string, settings: RunPageSettings): Promise<string> {
  const model = readRun(runDir, settings);
  const plan = JSON.parse(readFileSync(path.join(runDir, 'plan.json'), 'utf8')) as BatchPlan;
  const toRerun = rowsToRerun(model.rows);
  const csvFile = path.join(runDir, RERUN_FILE);
  let rerun;
  if (toRerun.length > 0) {
    const csv = rerunCsv(plan, model.rows);
    await writeFile(csvFile, csv, { mode: 0o600 });
    rerun = { csvFile: RERUN_FILE, csv, command: rerunCommand(plan, csvFile), count: toRerun.length };
  }
  const present = (file: string) => (existsSync(path.join(runDir, file)) ? file : undefined);
  const html = renderRunPage(model, {
    language: settings.language,
    supportEmail: settings.supportEmail,
    ...(rerun !== undefined && { rerun }),
    files: {
      // Written by Playwright's reporter after this page, at the batch's end: linked whether it is there yet or not.
      playwrightReport: path.join('report', 'index.html'),
      ...optional('summaryCsv', present('summary.csv')),
      ...optional('summaryJson', present('summary.json')),
    },
  });
  const page = path.join(runDir, RUN_PAGE_FILE);
  await writeFile(page, html, { mode: 0o600 });
  return page;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
