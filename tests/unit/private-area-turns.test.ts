import { writeFileSync, mkdirSync, existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { privateAreaTurns } from '../../robots/private-area-turns.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const SITE = 'https://vert.example.org';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

test('a removal waits for the fetch under way, and a fetch asked meanwhile waits for the removal', async () => {
  const turns = privateAreaTurns(scratchDir('private-area'), SITE, 'admin');
  const order: string[] = [];
  const copyDone = deferred();
  const fetching = turns.whileFetching(async () => {
    order.push('fetch A starts');
    await copyDone.promise;
    order.push('fetch A ends');
  });
  await expect.poll(() => order.length).toBe(1);
  const removal = turns.whileRewriting(() => {
    order.push('removal');
    return Promise.resolve();
  });
  // The removal now holds the area: a new fetch waits for it.
  await new Promise((resolve) => setImmediate(resolve));
  const laterFetch = turns.whileFetching(() => {
    order.push('fetch B');
    return Promise.resolve();
  });
  copyDone.resolve();
  await Promise.all([fetching, removal, laterFetch]);
  expect(order).toEqual(['fetch A starts', 'fetch A ends', 'removal', 'fetch B']);
});

test('fetches overlap each other; other accounts and sites have their own turns', async () => {
  const dir = scratchDir('private-area');
  const admin = privateAreaTurns(dir, SITE, 'admin');
  const inFlight: number[] = [];
  let now = 0;
  const fetch = () =>
    admin.whileFetching(async () => {
      now += 1;
      inFlight.push(now);
      await new Promise((resolve) => setTimeout(resolve, 50));
      now -= 1;
    });
  await Promise.all([fetch(), fetch(), fetch()]);
  expect(Math.max(...inFlight)).toBe(3);

  const held = deferred();
  const started = deferred();
  const adminFetch = admin.whileFetching(() => {
    started.resolve();
    return held.promise;
  });
  await started.promise;
  // Another account's removal does not wait for the admin's fetch.
  await privateAreaTurns(dir, SITE, 'teacher1').whileRewriting(() => Promise.resolve());
  await privateAreaTurns(dir, 'https://other.example.org', 'admin').whileRewriting(() => Promise.resolve());
  held.resolve();
  await adminFetch;
});

test('a turn left by a process that is gone is taken over; a failed action frees the area', async () => {
  const dir = scratchDir('private-area');
  const key = createHash('sha256').update(`${SITE}\nadmin`).digest('hex').slice(0, 16);
  const area = path.join(dir, `private-area-${key}`);
  mkdirSync(area, { recursive: true });
  // No process has pid 2^22 + 1 on Linux (pid_max is at most 2^22).
  writeFileSync(path.join(area, 'rewrite.lock'), `4194305@${(await import('node:os')).hostname()}`);
  writeFileSync(
    path.join(area, 'fetch-4194305-dead.lock'),
    `4194305@${(await import('node:os')).hostname()}`,
  );
  const turns = privateAreaTurns(dir, SITE, 'admin', { timeoutMs: 5_000 });
  await turns.whileFetching(() => Promise.resolve());
  await expect(turns.whileRewriting(() => Promise.reject(new Error('save failed')))).rejects.toThrow(
    'save failed',
  );
  expect(existsSync(path.join(area, 'rewrite.lock'))).toBe(false);
  await turns.whileRewriting(() => Promise.resolve());
});

test('a turn held by a live process is waited for, up to the timeout, naming the area', async () => {
  const dir = scratchDir('private-area');
  const turns = privateAreaTurns(dir, SITE, 'admin', { timeoutMs: 300 });
  const held = deferred();
  const started = deferred();
  const fetch = turns.whileFetching(() => {
    started.resolve();
    return held.promise;
  });
  await started.promise;
  await expect(turns.whileRewriting(() => Promise.resolve())).rejects.toThrow(
    /waited 0\.3 s for the fetches under way to end on the private backup area of admin/,
  );
  held.resolve();
  await fetch;
});

function areaOf(dir: string, account = 'admin'): string {
  const key = createHash('sha256').update(`${SITE}\n${account}`).digest('hex').slice(0, 16);
  const area = path.join(dir, `private-area-${key}`);
  mkdirSync(area, { recursive: true });
  return area;
}

function leftSecondsAgo(file: string, content: string, seconds: number): void {
  writeFileSync(file, content);
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(file, then, then);
}

test('an empty or unreadable lock left by a process killed before writing it is stale after a few seconds', async () => {
  const dir = scratchDir('private-area');
  const area = areaOf(dir);
  // Killed between creating and writing its lock: an empty file, a minute old.
  leftSecondsAgo(path.join(area, 'rewrite.lock'), '', 60);
  leftSecondsAgo(path.join(area, 'fetch-123-dead.lock'), '', 60);
  leftSecondsAgo(path.join(area, 'fetch-456-torn.lock'), '\u0000\u0000', 60);
  const turns = privateAreaTurns(dir, SITE, 'admin', { timeoutMs: 2_000 });
  await turns.whileRewriting(() => Promise.resolve());
  await turns.whileFetching(() => Promise.resolve());
  expect(readdirSync(area)).toEqual([]);
});

test('an empty lock just created may be another process writing it: it is waited for', async () => {
  const dir = scratchDir('private-area');
  const area = areaOf(dir);
  writeFileSync(path.join(area, 'rewrite.lock'), '');
  const turns = privateAreaTurns(dir, SITE, 'admin', { timeoutMs: 300 });
  await expect(turns.whileRewriting(() => Promise.resolve())).rejects.toThrow(
    /waited 0\.3 s for another removal to end/,
  );
});

test('a lock file appears already written with its holder, and nothing else is left in the area', async () => {
  const dir = scratchDir('private-area');
  const area = areaOf(dir);
  const turns = privateAreaTurns(dir, SITE, 'admin');
  const seen: string[] = [];
  const look = () => {
    for (const name of readdirSync(area).filter((name) => name.endsWith('.lock')))
      seen.push(
        `${name.startsWith('fetch-') ? 'fetch' : name}: ${readFileSync(path.join(area, name), 'utf8')}`,
      );
    return Promise.resolve();
  };
  await turns.whileRewriting(look);
  await turns.whileFetching(look);
  expect(seen).toEqual([`rewrite.lock: ${process.pid}@${hostname()}`, `fetch: ${process.pid}@${hostname()}`]);
  expect(readdirSync(area)).toEqual([]);
});
