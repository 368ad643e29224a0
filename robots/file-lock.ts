import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface FileLockOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** A lock held this long by another machine is taken as abandoned. */
  foreignStaleMs?: number;
}

/**
 * Runs `work` while holding an exclusive lock shared by every process on this machine (and by other
 * machines on a shared folder). The lock is a directory, because mkdir is atomic; a lock whose
 * owner process has died is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const foreignStaleMs = options.foreignStaleMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  await mkdir(path.dirname(lockPath), { recursive: true });

  for (let attempt = 0; ; attempt++) {
    if (await tryAcquire(lockPath)) break;
    if (await isAbandoned(lockPath, foreignStaleMs)) {
      await rm(lockPath, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `could not lock ${lockPath} within ${timeoutMs} ms (held by ${await describe(lockPath)})`,
      );
    }
    await backoff(attempt);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    await mkdir(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(path.join(lockPath, 'owner.json'), JSON.stringify(owner));
  return true;
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path.join(lockPath, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

async function isAbandoned(lockPath: string, foreignStaleMs: number): Promise<boolean> {
  const owner = await readOwner(lockPath);
  // The owner file is written right after mkdir: give a lock without one a moment to get it.
  if (!owner) return false;
  if (owner.host !== hostname()) return Date.now() - Date.parse(owner.since) > foreignStaleMs;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function describe(lockPath: string): Promise<string> {
  const owner = await readOwner(lockPath);
  return owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'an unknown process';
}

function backoff(attempt: number): Promise<void> {
  const delayMs = Math.min(2 ** attempt, 50) + Math.random() * 5;
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
