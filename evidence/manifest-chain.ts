import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The manifest's entries (screenshots, attachments, kept files, steps) form one hash chain in the
 * order they were written: each entry's link holds the hash of the entry before it, and its own hash
 * covers its content (a file's SHA-256 included) and that previous hash. Editing, removing or
 * reordering an entry breaks every hash after it; a chain rebuilt from scratch ends at another hash
 * than the one the ledger recorded when the run ended.
 */
export interface ChainLink {
  /** 1 for the run's first entry, then one more for each. */
  seq: number;
  previous: string;
  hash: string;
}

export const MANIFEST_FILE = 'manifest.json';

/** Where a run's chain starts: the run's name and creation time are part of it. */
export function chainStart(run: string, createdAt: string): string {
  return sha256Hex(`ecampus-restore evidence\n${run}\n${createdAt}`);
}

/** The link of an entry (without its own `chain` field) written after `previous`. */
export function linkAfter(previous: string, seq: number, entry: object): ChainLink {
  return { seq, previous, hash: sha256Hex(`${previous}\n${seq}\n${canonicalJson(entry)}`) };
}

/** JSON with object keys sorted: the same entry always hashes the same, whoever wrote the file. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A name the manifest may give a file: one plain name inside the folder (no folder part, no `..`,
 * nothing absolute), so that checking it never reads outside the run's folder.
 */
export function isNameInsideFolder(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    path.basename(name) === name
  );
}

export interface EvidenceCheck {
  ok: boolean;
  problems: string[];
  /** The hash the chain ends at, as recomputed (undefined when the manifest cannot be read). */
  chainHead?: string;
  /** Whether the chain's end was compared with a hash recorded outside the folder (the ledger). */
  anchored: boolean;
}

interface ChainedEntry {
  chain?: Partial<ChainLink>;
  file?: unknown;
  sha256?: unknown;
  [key: string]: unknown;
}

interface ChainedManifest {
  run?: unknown;
  createdAt?: unknown;
  sealed?: { chainHead?: unknown };
  [list: string]: unknown;
}

/** The manifest's lists whose entries are chained (a list absent from an older manifest is empty). */
export const CHAINED_LISTS = [
  'screenshots',
  'attachments',
  'supersededAttachments',
  'files',
  'steps',
] as const;

/**
 * Checks a run's folder against its manifest: the chain unbroken from the run's start, every entry's
 * file inside the folder, a regular file, with the SHA-256 its latest entry says; no file the
 * manifest does not name; and, when `expectedHead` is given (the ledger's record), the chain ending
 * there.
 */
export async function verifyEvidenceFolder(
  dir: string,
  options: { expectedHead?: string } = {},
): Promise<EvidenceCheck> {
  const anchored = options.expectedHead !== undefined;
  const problems: string[] = [];
  const manifestProblem = await notARegularFile(dir, MANIFEST_FILE, `no ${MANIFEST_FILE} in ${dir}`);
  if (manifestProblem !== undefined) return { ok: false, problems: [manifestProblem], anchored };
  let manifest: ChainedManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as ChainedManifest;
  } catch (error) {
    return {
      ok: false,
      problems: [`${MANIFEST_FILE}: not readable JSON (${(error as Error).message})`],
      anchored,
    };
  }
  if (typeof manifest.run !== 'string' || typeof manifest.createdAt !== 'string')
    return { ok: false, problems: [`${MANIFEST_FILE}: no run name or creation time`], anchored };

  const entries: { list: string; entry: ChainedEntry }[] = [];
  for (const list of CHAINED_LISTS) {
    const value = manifest[list];
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      problems.push(`${MANIFEST_FILE}: "${list}" is not a list`);
      continue;
    }
    for (const entry of value as ChainedEntry[]) entries.push({ list, entry });
  }

  // The chain, in the order it was written.
  const unlinked = entries.filter(({ entry }) => typeof entry.chain?.seq !== 'number');
  for (const { list, entry } of unlinked)
    problems.push(
      `${describe(list, entry)}: not chained (a manifest from before chained evidence, or an entry added by hand)`,
    );
  const linked = entries
    .filter(({ entry }) => typeof entry.chain?.seq === 'number')
    .sort((a, b) => (a.entry.chain?.seq ?? 0) - (b.entry.chain?.seq ?? 0));
  let head = chainStart(manifest.run, manifest.createdAt);
  let brokenAt: number | undefined;
  linked.forEach(({ list, entry }, index) => {
    if (brokenAt !== undefined) return;
    const { chain, ...content } = entry;
    const seq = index + 1;
    const expected = linkAfter(head, seq, content);
    const where = describe(list, entry);
    if (chain?.seq !== seq) {
      problems.push(
        `${where}: chain entry ${seq} expected, it says ${String(chain?.seq)} (an entry is missing or repeated)`,
      );
      brokenAt = seq;
    } else if (chain.previous !== head) {
      problems.push(
        `${where}: chain entry ${seq} does not follow entry ${seq - 1} (entries removed or reordered)`,
      );
      brokenAt = seq;
    } else if (chain.hash !== expected.hash) {
      problems.push(`${where}: chain entry ${seq} does not match its content (the entry was edited)`);
      brokenAt = seq;
    }
    head = expected.hash;
  });
  const chainHead = brokenAt === undefined ? head : undefined;
  const sealedHead = manifest.sealed?.chainHead;
  if (chainHead !== undefined && sealedHead !== undefined && sealedHead !== chainHead)
    problems.push(
      `${MANIFEST_FILE}: sealed at ${JSON.stringify(sealedHead)}, its chain ends at ${chainHead}`,
    );
  if (options.expectedHead !== undefined && chainHead !== options.expectedHead)
    problems.push(
      `the chain ends at ${chainHead ?? '(broken chain)'}, the ledger recorded ${options.expectedHead} when the run ended`,
    );

  // Every named file: inside the folder, regular, as its latest entry says.
  const latest = new Map<string, { list: string; entry: ChainedEntry }>();
  for (const item of [...unlinked, ...linked]) {
    const { file } = item.entry;
    if (file === undefined) continue;
    if (!isNameInsideFolder(file)) {
      problems.push(
        `${describe(item.list, item.entry)}: ${JSON.stringify(file)} is not a file name inside the evidence folder`,
      );
      continue;
    }
    latest.set(file, item);
  }
  for (const [file, { entry }] of latest) {
    const problem = await notARegularFile(dir, file);
    if (problem !== undefined) {
      problems.push(problem);
      continue;
    }
    const actual = sha256Hex(await readFile(path.join(dir, file)));
    if (actual !== entry.sha256)
      problems.push(`${file}: SHA-256 is ${actual}, manifest says ${String(entry.sha256)}`);
  }

  // Nothing the manifest does not name.
  for (const name of (await readdir(dir)).sort()) {
    if (name !== MANIFEST_FILE && !latest.has(name))
      problems.push(`${name}: in the folder but not in the manifest`);
  }
  return { ok: problems.length === 0, problems, ...(chainHead !== undefined && { chainHead }), anchored };
}

async function notARegularFile(
  dir: string,
  name: string,
  missing = `${name}: listed in the manifest but missing`,
): Promise<string | undefined> {
  try {
    const stats = await lstat(path.join(dir, name));
    if (stats.isSymbolicLink()) return `${name}: a symbolic link (evidence files are never links)`;
    if (!stats.isFile()) return `${name}: not a regular file`;
    return undefined;
  } catch {
    return missing;
  }
}

function describe(list: string, entry: ChainedEntry): string {
  if (typeof entry.file === 'string') return `${list}: ${entry.file}`;
  if (typeof entry['step'] === 'string') return `${list}: "${entry['step']}"`;
  return list;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
