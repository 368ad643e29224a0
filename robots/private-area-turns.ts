import { createHash, randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { makePrivateDir } from '../evidence/file-modes.js';
import { holderIsGone } from '../ledger/ledger.js';

/**
 * Turns on one account's private backup area, across the processes of a batch. Moodle's file manager
 * saves the whole area from the draft copy it made when its page opened: a removal (open, delete, save)
 * that overlaps another worker's fetch (the block storing a new .mbz in the same area) deletes that new
 * file. Fetches may overlap each other (each adds its own file); a removal waits until no fetch is in
 * flight, and new fetches wait while a removal holds the area. A holder killed mid-turn leaves its file:
 * taken over once its process is gone. A lock file is written whole under a temporary name, then
 * linked or renamed into place, so that it never exists empty; one that is empty or unreadable all the
 * same (left by an older version, or a damaged disk) counts as stale once older than a few seconds.
 */
export interface PrivateAreaTurns {
  /** Around the block's copy: from the click on its link until the restore page has loaded. */
  whileFetching<T>(action: () => Promise<T>): Promise<T>;
  /** Around the file manager's open, delete and save. */
  whileRewriting<T>(action: () => Promise<T>): Promise<T>;
}

const POLL_MS = 100;
/** How long a lock file that names no holder is left alone (it may be another process's, being written). */
export const UNNAMED_LOCK_STALE_MS = 5_000;
/** A lock file's content: `pid@host`. */
const HOLDER = /^\d+@\S+$/;

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

  /**
   * Whether a lock file is held by a live process. A dead holder's file is removed, and so is one that
   * names no holder (empty, or not `pid@host`) once older than UNNAMED_LOCK_STALE_MS: its writer was
   * killed before writing it, and it would otherwise hold the area until every waiter's timeout.
   */
  const heldByLive = async (file: string): Promise<boolean> => {
    const owner = await readFile(file, 'utf8').catch(() => undefined);
    if (owner === undefined) return false;
    if (!HOLDER.test(owner.trim())) {
      const changed = await stat(file).then(
        (found) => found.mtimeMs,
        () => undefined,
      );
      if (changed === undefined) return false;
      if (Date.now() - changed < UNNAMED_LOCK_STALE_MS) return true;
      await rm(file, { force: true });
      return false;
    }
    if (holderIsGone(owner.trim())) {
      await rm(file, { force: true });
      return false;
    }
    return true;
  };
  /** A new file holding this process's name, under a name no lock file has (readers skip it). */
  const writtenAside = async (): Promise<string> => {
    const aside = path.join(dir, `.writing-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(aside, 'wx', 0o600);
    try {
      await handle.writeFile(holder());
    } finally {
      await handle.close();
    }
    return aside;
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
        await rename(await writtenAside(), mine);
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
      const aside = await writtenAside();
      try {
        for (;;) {
          try {
            // A hard link appears whole, and fails if the lock exists: never an empty lock.
            await link(aside, writerFile);
            break;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
            if (Date.now() > until) throw timedOut('another removal to end');
            if (!(await heldByLive(writerFile))) continue;
            await delay(POLL_MS);
          }
        }
      } finally {
        await rm(aside, { force: true });
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
