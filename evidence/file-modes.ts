import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files the robot writes (evidence, sessions, messages) hold people's names and sessions: they are
 * created owner-only, whatever the umask, and never widened. A mode given to open() applies only when
 * the file is created, so a private file is always written new and renamed into place.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Writes `data` into a new owner-only file, then renames it over `file` (an old file's mode does not carry over). */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE);
  let written = false;
  try {
    await handle.writeFile(data);
    await handle.sync();
    written = true;
  } finally {
    await handle.close();
    if (!written) await rm(temporary, { force: true });
  }
  await rename(temporary, file);
}

/** Creates the folder, and any missing parent, owner-only; a folder that exists is left as it is. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

export function makePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Why a file holding a secret (a saved session) must not be used, or undefined when it is the
 * owner's own and nobody else may read or change it.
 */
export function exposedSecretFile(file: string): string | undefined {
  const stats = statSync(file);
  if (!stats.isFile()) return `${file} is not a regular file`;
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid())
    return `${file} belongs to another user (uid ${stats.uid})`;
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0)
    return `${file} may be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it, or save the session again`;
  return undefined;
}
