import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { makePrivateDir } from '../evidence/file-modes.js';
import { holderIsGone } from '../ledger/ledger.js';

/**
 * One login at a time per account and site, across the processes of a batch. Moodle writes a user's
 * "first time" preferences (the welcome greeting, message migration) with a read-then-insert: four
 * workers logging the same fresh account in at once made it fail a page with "Error writing to
 * database" (a duplicate key in mdl_user_preferences), 2 runs out of 2 at 4 workers.
 *
 * The lock files live in `lockDir`, an owner-only folder of the robot's state (see loginLockDir), not in
 * the shared /tmp where anyone may create, or hold, a file of the same name first.
 */
export async function inLoginTurn<T>(
  siteUrl: string,
  username: string,
  action: () => Promise<T>,
  { timeoutMs = 5 * 60_000, lockDir }: { timeoutMs?: number; lockDir: string },
): Promise<T> {
  await makePrivateDir(lockDir);
  const key = createHash('sha256').update(`${siteUrl}\n${username}`).digest('hex').slice(0, 16);
  const lockFile = path.join(lockDir, `ecampus-restore-login-${key}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      await handle.writeFile(`${process.pid}@${hostname()}`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(lockFile, 'utf8').catch(() => undefined);
      // A holder killed mid-login leaves its file: taken over once its process is gone.
      if (holder !== undefined && holder !== '' && holderIsGone(holder)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`waited ${timeoutMs / 1000} s for another login to ${siteUrl} to end (${lockFile})`, {
          cause: error,
        });
      // Another worker's login takes a second or two: look again shortly.
      await delay(100);
    }
  }
  try {
    return await action();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/** The login locks' folder: beside the ledger, in the robot's state folder. */
export function loginLockDir(ledgerPath: string): string {
  return path.join(path.dirname(ledgerPath), 'login-locks');
}
