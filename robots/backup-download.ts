import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright';
import { PRIVATE_FILE_MODE } from '../evidence/file-modes.js';
import { sha256Hex } from '../evidence/manifest-chain.js';
import {
  parseMoodleBackupXml,
  readBackupManifest,
  type BackupContents,
} from '../backup-file/backup-contents.js';

export type DownloadedBackup =
  | { kind: 'read'; contents: BackupContents; manifestXml: string; sha256: string; bytes: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'unreadable'; reason: string };

/** Fetches a backup with the page's session and reads it (see readDownloadedBackup). */
export async function downloadBackup(page: Page, url: string): Promise<DownloadedBackup> {
  const response = await page.request.get(url);
  if (!response.ok()) return { kind: 'refused', reason: `answered HTTP ${response.status()}` };
  return readDownloadedBackup(await response.body());
}

/**
 * Reads a backup's moodle_backup.xml through a temporary copy in a folder of its own (mkdtemp:
 * owner-only), in a file created owner-only, both removed before this returns whatever happens.
 */
export async function readDownloadedBackup(body: Buffer): Promise<DownloadedBackup> {
  const folder = await mkdtemp(path.join(tmpdir(), 'ecampus-restore-backup-'));
  try {
    const file = path.join(folder, 'backup.mbz');
    const handle = await open(file, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(body);
    } finally {
      await handle.close();
    }
    const manifestXml = await readBackupManifest(file);
    return {
      kind: 'read',
      contents: parseMoodleBackupXml(manifestXml),
      manifestXml,
      sha256: sha256Hex(body),
      bytes: body.length,
    };
  } catch (error) {
    return { kind: 'unreadable', reason: (error as Error).message.replaceAll(folder, '(temporary copy)') };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
