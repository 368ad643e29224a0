import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig, type Config } from '../../config/env.js';
import type { Ledger } from '../../ledger/ledger.js';
import { CHROMIUM_FLAGS } from '../../session/browser.js';
import { restoreOrder } from '../../session/restore-session.js';
import { scratchDir } from '../helpers/scratch-dir.js';

test.use({
  launchOptions: {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS],
  },
});

/** A local port nothing listens on: taken, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function configWith(vertUrl: string, evidenceDir: string): Config {
  const baseDir = scratchDir('restore-order');
  return {
    ...loadConfig({
      env: { MOODLE_USERNAME: 'admin', MOODLE_PASSWORD: 'correct horse', VERT_URL: vertUrl },
      baseDir,
    }),
    evidenceDir,
  };
}

const seals: unknown[] = [];
const ledger = {
  recordEvidenceSeal: (seal: unknown) => {
    seals.push(seal);
    return Promise.resolve();
  },
} as unknown as Ledger;

test('vert unreachable while looking a course up: the course fails with one line, the stack in its run.log', async ({
  context,
}) => {
  const vertUrl = `http://127.0.0.1:${await closedPort()}`;
  const evidenceDir = scratchDir('restore-order-evidence');
  const pages = { vert: await context.newPage(), bleu: await context.newPage() };
  const seen: string[] = [];
  const result = await restoreOrder(
    configWith(vertUrl, evidenceDir),
    { target: { kind: 'shortname', shortname: 'ANG-EC1' }, label: 'ANG-EC1' },
    { pages, ledger, runId: 'run-test' },
    { onOutcome: (_, outcome) => seen.push(outcome.status) },
  );
  expect(result.outcome).toMatchObject({ status: 'failed', step: 'find the course', courseEmptied: false });
  const reason = result.outcome.status === 'failed' ? result.outcome.reason : '';
  expect(reason).toBe(
    `vert is unreachable: nothing answers at ${vertUrl} (ERR_CONNECTION_REFUSED): check VERT_URL and that the site is up (open it in a browser), then run the same command again`,
  );
  expect(seen).toEqual(['failed']);
  const log = readFileSync(path.join(result.evidenceDir, 'run.log'), 'utf8');
  expect(log).toContain('"step":"find the course"');
  expect(log).toContain('"stack":"page.goto: net::ERR_CONNECTION_REFUSED');
  expect(existsSync(path.join(result.evidenceDir, 'support-message.txt'))).toBe(true);
});

test('an evidence folder that cannot be created fails the course with one line, nothing thrown', async ({
  context,
}) => {
  const root = scratchDir('restore-order-evidence');
  // A file where the evidence folder should be (a full disk, ENOSPC, is said the same way: one line).
  writeFileSync(path.join(root, 'batch'), '');
  const evidenceDir = path.join(root, 'batch', 'courses');
  const pages = { vert: await context.newPage(), bleu: await context.newPage() };
  const result = await restoreOrder(
    configWith('http://127.0.0.1:9', evidenceDir),
    { target: { kind: 'id', id: 12 }, label: '12' },
    { pages, ledger, runId: 'run-test' },
  );
  expect(result.outcome).toMatchObject({
    status: 'failed',
    courseId: 12,
    step: 'create the evidence folder',
    courseEmptied: false,
  });
  expect(result.outcome.status === 'failed' && result.outcome.reason).toBe(
    `the evidence folder cannot be created (ENOTDIR): a file is in the way at ${evidenceDir}: move that file, or point EVIDENCE_DIR to a folder, then run the same command again`,
  );
  // Nothing was asked of vert.
  expect(pages.vert.url()).toBe('about:blank');
  expect(readdirSync(root)).toEqual(['batch']);
});
