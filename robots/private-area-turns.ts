import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { makePrivateDir } from '../evidence/file-modes.js';
import { holderIsGone } from './ledger.js';

/**
 * Turns on one account's private backup area, across the processes of a batch. Moodle's file manager
 * saves the whole area from the draft copy it made when its page opened: a removal (open, delete, save)
 * that overlaps another worker's fetch (the block storing a new .mbz in the same area) deletes that new
 * file. Fetches may overlap each other (each adds its own file); a removal waits until no fetch is in
 * flight, and new fetches wait while a removal holds the area. A holder killed mid-turn leaves its file:
 * taken over once its process is gone.
 */
export interface PrivateAreaTurns {
  /** Around the block's copy: from the click on its link until the restore page has loaded. */
  whileFetching<T>(action: () => Promise<T>): Promise<T>;
  /** Around the file manager's open, delete and save. */
  whileRewriting<T>(action: () => Promise<T>): Promise<T>;
}

const POLL_MS = 100;

export function privateAreaTurns(
  lockDir: string,
  siteUrl: string,
  account: string,
  { timeoutMs = 30 * 60_000 }: { timeoutMs?: number } = {},
): PrivateAreaTurns {
  const key = createHash('sha256').update(`${siteUrl}\n${account}`).digest('hex').slice(0, 16);
  const dir = path.join(lockDir, `private-area-${key}`);
  const writerFile = path.join(dir, 'rewrite.lock');
  const holder = () => `${process.pid}@${hostname()}`;
  const deadline = () => Date.now() + timeoutMs;
  const timedOut = (what: string) =>
    new Error(`waited ${timeoutMs / 1000} s for ${what} on the private backup area of ${account} (${dir})`);

  /** Whether a lock file is held by a live process; a dead holder's file is removed. */
  const heldByLive = async (file: string): Promise<boolean> => {
    const owner = await readFile(file, 'utf8').catch(() => undefined);
    if (owner === undefined) return false;
    if (owner !== '' && holderIsGone(owner)) {
      await rm(file, { force: true });
      return false;
    }
    return true;
  };
  const readersInFlight = async (): Promise<number> => {
    let live = 0;
    for (const name of await readdir(dir))
      if (name.startsWith('fetch-') && (await heldByLive(path.join(dir, name)))) live += 1;
    return live;
  };

  return {
    async whileFetching(action) {
      await makePrivateDir(dir);
      const mine = path.join(dir, `fetch-${process.pid}-${randomBytes(4).toString('hex')}.lock`);
      const until = deadline();
      for (;;) {
        while (await heldByLive(writerFile)) {
          if (Date.now() > until) throw timedOut('a removal to end');
          await delay(POLL_MS);
        }
        const handle = await open(mine, 'wx', 0o600);
        await handle.writeFile(holder());
        await handle.close();
        // A removal that started between the look and the file: it goes first.
        if (!(await heldByLive(writerFile))) break;
        await rm(mine, { force: true });
      }
      try {
        return await action();
      } finally {
        await rm(mine, { force: true });
      }
    },

    async whileRewriting(action) {
      await makePrivateDir(dir);
      const until = deadline();
      for (;;) {
        try {
          const handle = await open(writerFile, 'wx', 0o600);
          await handle.writeFile(holder());
          await handle.close();
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          if (Date.now() > until) throw timedOut('another removal to end');
          if (!(await heldByLive(writerFile))) continue;
          await delay(POLL_MS);
        }
      }
      try {
        while ((await readersInFlight()) > 0) {
          if (Date.now() > until) throw timedOut('the fetches under way to end');
          await delay(POLL_MS);
        }
        return await action();
      } finally {
        await rm(writerFile, { force: true });
      }
    },
  };
}
