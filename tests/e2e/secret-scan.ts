import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';

export interface SecretFound {
  file: string;
  secret: string;
}

/**
 * Every byte a run wrote, searched for each secret: plain files, and inside archives (Playwright's
 * HTML report carries its data as a zip embedded in index.html; traces are zips). Secrets are named
 * in the result, never printed.
 */
export async function findSecrets(
  root: string,
  secrets: Record<string, string>,
): Promise<{ found: SecretFound[]; filesSearched: number }> {
  const found: SecretFound[] = [];
  let filesSearched = 0;
  const search = (label: string, bytes: Buffer) => {
    filesSearched++;
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== '' && bytes.includes(Buffer.from(value))) found.push({ file: label, secret: name });
    }
  };
  const visit = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(file);
        continue;
      }
      if (!(await stat(file)).isFile()) continue;
      const bytes = await readFile(file);
      search(file, bytes);
      const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(bytes.toString('latin1'));
      if (embedded?.[1])
        await searchZip(`${file} (embedded report data)`, Buffer.from(embedded[1], 'base64'), search);
      if (bytes.subarray(0, 2).toString('latin1') === 'PK') await searchZip(file, bytes, search);
    }
  };
  await visit(root);
  return { found, filesSearched };
}

async function searchZip(label: string, zipBytes: Buffer, search: (label: string, bytes: Buffer) => void) {
  const zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true }).catch(() => undefined);
  if (!zip) return;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      search(`${label} › ${entry.fileName}`, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
}

/** Files and folders under `root` that anyone but their owner can read, write or enter. */
export async function openToOthers(root: string): Promise<string[]> {
  const open: string[] = [];
  const visit = async (dir: string) => {
    if (((await stat(dir)).mode & 0o077) !== 0) open.push(`${dir}/`);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(file);
      else if (((await stat(file)).mode & 0o077) !== 0) open.push(file);
    }
  };
  await visit(root);
  return open;
}
