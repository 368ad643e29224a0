import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  CHAINED_LISTS,
  chainStart,
  linkAfter,
  sha256Hex,
  verifyEvidenceFolder,
  type ChainLink,
} from '../../evidence/manifest-chain.js';
import { EvidenceRun } from '../../evidence/recorder.js';
import { scratchDir } from '../helpers/scratch-dir.js';

type Entry = Record<string, unknown> & { chain: ChainLink; file?: string; sha256?: string };
interface LooseManifest {
  run: string;
  createdAt: string;
  sealed?: { chainHead: string };
  attachments: Entry[];
  files: Entry[];
  [list: string]: unknown;
}

/** A sealed run as the robot leaves one: attachments (one written twice), kept files, a late log. */
async function sealedRun(): Promise<{ dir: string; head: string }> {
  const run = await EvidenceRun.create(scratchDir('ecampus-chain'), 'MATHS101');
  await run.attach('ledger before', { state: 'never-touched' });
  await run.keep('backup manifest', 'moodle_backup.xml', '<moodle_backup/>\n', {
    file: 'backup-moodle2-course-42-20250625-0200-nu.mbz',
    sha256: 'a'.repeat(64),
    bytes: 1234,
  });
  await run.attach('outcome', { status: 'refused', reason: 'first' });
  await run.attach('outcome', { status: 'refused', reason: 'second' });
  await run.keep('support message', 'support-message.txt', 'Subject\n\nBody\n');
  writeFileSync(path.join(run.dir, 'run.log'), '{"msg":"done"}\n', { mode: 0o600 });
  const head = await run.seal([{ name: 'run log', file: 'run.log' }]);
  return { dir: run.dir, head };
}

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as LooseManifest;
const writeManifest = (dir: string, manifest: unknown) => {
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
};

/** Every chained entry, in the order written. */
function entriesOf(manifest: LooseManifest): Entry[] {
  return CHAINED_LISTS.flatMap((list) => (manifest[list] as Entry[] | undefined) ?? []).sort(
    (a, b) => a.chain.seq - b.chain.seq,
  );
}

/** What a careful forger does after an edit: every link recomputed from the start, the seal too. */
function rechain(manifest: LooseManifest): string {
  let head = chainStart(manifest.run, manifest.createdAt);
  entriesOf(manifest).forEach((entry, index) => {
    const content: Record<string, unknown> = { ...entry };
    delete content['chain'];
    entry.chain = linkAfter(head, index + 1, content);
    head = entry.chain.hash;
  });
  if (manifest.sealed) manifest.sealed.chainHead = head;
  return head;
}

test('a sealed run verifies, its chain ends at the hash the seal returned, superseded versions kept', async () => {
  const { dir, head } = await sealedRun();
  expect(await verifyEvidenceFolder(dir, { expectedHead: head })).toEqual({
    ok: true,
    problems: [],
    chainHead: head,
    anchored: true,
  });
  const manifest = manifestOf(dir);
  expect(manifest.sealed?.chainHead).toBe(head);
  expect(entriesOf(manifest).map((entry) => [entry.chain.seq, entry.file])).toEqual([
    [1, 'ledger-before.json'],
    [2, 'moodle_backup.xml'],
    [3, 'outcome.json'],
    [4, 'outcome.json'],
    [5, 'support-message.txt'],
    [6, 'run.log'],
  ]);
  expect(manifest.files.find((file) => file.file === 'moodle_backup.xml')?.source).toEqual({
    file: 'backup-moodle2-course-42-20250625-0200-nu.mbz',
    sha256: 'a'.repeat(64),
    bytes: 1234,
  });
});

test('a sealed run takes nothing more', async () => {
  const run = await EvidenceRun.create(scratchDir('ecampus-chain'), 'MATHS101');
  await run.seal();
  await expect(run.attach('late', {})).rejects.toThrow(/sealed: nothing can be added/);
  await expect(run.keep('late', 'late.txt', 'x')).rejects.toThrow(/sealed/);
});

test('a kept file has a plain name of its own and is never written over', async () => {
  const run = await EvidenceRun.create(scratchDir('ecampus-chain'), 'MATHS101');
  for (const name of ['../outside.txt', '/tmp/x', 'manifest.json', '.hidden'])
    await expect(run.keep('bad', name, 'x')).rejects.toThrow(/cannot be kept/);
  await run.keep('note', 'note.txt', 'one');
  await expect(run.keep('note', 'note.txt', 'two')).rejects.toThrow(/EEXIST/);
});

/**
 * Each way of tampering with a sealed folder, and whether the folder alone shows it (`alone`) or only
 * the ledger's record does (a forger who rebuilt the whole chain). Every case must be caught with
 * the ledger's hash.
 */
const TAMPERING: {
  name: string;
  tamper: (dir: string) => void;
  alone: RegExp | 'needs the ledger';
  anchored?: RegExp;
}[] = [
  {
    name: 'a file edited',
    tamper: (dir) => {
      writeFileSync(path.join(dir, 'outcome.json'), '{"status":"restored"}\n');
    },
    alone: /^outcome\.json: SHA-256 is [0-9a-f]{64}, manifest says [0-9a-f]{64}$/,
  },
  {
    name: "a file edited and its entry's SHA-256 recomputed",
    tamper: (dir) => {
      const body = '{"status":"restored"}\n';
      writeFileSync(path.join(dir, 'outcome.json'), body);
      const manifest = manifestOf(dir);
      (manifest.attachments.find((a) => a.file === 'outcome.json') as Entry).sha256 = sha256Hex(body);
      writeManifest(dir, manifest);
    },
    alone: /^attachments: outcome\.json: chain entry 4 does not match its content \(the entry was edited\)$/,
  },
  {
    name: 'a file edited, its SHA-256 and the whole chain recomputed, the seal too',
    tamper: (dir) => {
      const body = '{"status":"restored"}\n';
      writeFileSync(path.join(dir, 'outcome.json'), body);
      const manifest = manifestOf(dir);
      (manifest.attachments.find((a) => a.file === 'outcome.json') as Entry).sha256 = sha256Hex(body);
      rechain(manifest);
      writeManifest(dir, manifest);
    },
    alone: 'needs the ledger',
    anchored: /^the chain ends at [0-9a-f]{64}, the ledger recorded [0-9a-f]{64} when the run ended$/,
  },
  {
    name: "an entry's description edited",
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      (manifest.files[0] as Entry)['name'] = 'something else';
      writeManifest(dir, manifest);
    },
    alone: /^files: moodle_backup\.xml: chain entry 2 does not match its content/,
  },
  {
    name: 'a file deleted',
    tamper: (dir) => {
      rmSync(path.join(dir, 'support-message.txt'));
    },
    alone: /^support-message\.txt: listed in the manifest but missing$/,
  },
  {
    name: 'a file deleted with its entry',
    tamper: (dir) => {
      rmSync(path.join(dir, 'support-message.txt'));
      const manifest = manifestOf(dir);
      manifest.files = manifest.files.filter((file) => file.file !== 'support-message.txt');
      writeManifest(dir, manifest);
    },
    alone: /^files: run\.log: chain entry 5 expected, it says 6/,
  },
  {
    name: 'the last entry and its file cut off, the chain and seal made to end before it',
    tamper: (dir) => {
      rmSync(path.join(dir, 'run.log'));
      const manifest = manifestOf(dir);
      manifest.files = manifest.files.filter((file) => file.file !== 'run.log');
      rechain(manifest);
      writeManifest(dir, manifest);
    },
    alone: 'needs the ledger',
    anchored: /the ledger recorded/,
  },
  {
    name: 'the seal edited to another hash',
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      if (manifest.sealed) manifest.sealed.chainHead = 'b'.repeat(64);
      writeManifest(dir, manifest);
    },
    alone: /^manifest\.json: sealed at "b{64}", its chain ends at [0-9a-f]{64}$/,
  },
  {
    name: 'two entries swapped',
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      const [first, second] = manifest.files as [Entry, Entry, ...Entry[]];
      [first.chain, second.chain] = [second.chain, first.chain];
      writeManifest(dir, manifest);
    },
    alone: /chain entry 2 does not match its content|does not follow/,
  },
  {
    name: 'the run renamed',
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      manifest.run = 'PHYS201';
      writeManifest(dir, manifest);
    },
    alone: /^attachments: ledger-before\.json: chain entry 1 does not follow entry 0/,
  },
  {
    name: 'a file added',
    tamper: (dir) => {
      writeFileSync(path.join(dir, 'extra.png'), 'not evidence');
    },
    alone: /^extra\.png: in the folder but not in the manifest$/,
  },
  {
    name: 'a file added with an entry chained after the last, the seal moved to it',
    tamper: (dir) => {
      writeFileSync(path.join(dir, 'extra.json'), '{}\n');
      const manifest = manifestOf(dir);
      const last = entriesOf(manifest).at(-1) as Entry;
      const content = { name: 'extra', file: 'extra.json', writtenAt: '', sha256: sha256Hex('{}\n') };
      manifest.attachments.push({ ...content, chain: { seq: last.chain.seq + 1, previous: '', hash: '' } });
      rechain(manifest);
      writeManifest(dir, manifest);
    },
    alone: 'needs the ledger',
    anchored: /the ledger recorded/,
  },
  {
    name: 'a folder added',
    tamper: (dir) => {
      mkdirSync(path.join(dir, 'more'));
    },
    alone: /^more: in the folder but not in the manifest$/,
  },
  {
    name: 'an entry naming a file outside the folder (..), chain rebuilt',
    tamper: (dir) => {
      writeFileSync(path.join(dir, '..', 'outside.json'), '{}\n');
      const manifest = manifestOf(dir);
      (manifest.attachments[0] as Entry).file = '../outside.json';
      (manifest.attachments[0] as Entry).sha256 = sha256Hex('{}\n');
      rechain(manifest);
      writeManifest(dir, manifest);
    },
    alone:
      /^attachments: \.\.\/outside\.json: "\.\.\/outside\.json" is not a file name inside the evidence folder$/,
  },
  {
    name: 'an entry naming an absolute path, chain rebuilt',
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      (manifest.attachments[0] as Entry).file = '/etc/hostname';
      rechain(manifest);
      writeManifest(dir, manifest);
    },
    alone: /"\/etc\/hostname" is not a file name inside the evidence folder/,
  },
  {
    name: 'a file replaced by a symbolic link to the same bytes outside the folder',
    tamper: (dir) => {
      const outside = path.join(dir, '..', 'same-bytes.json');
      renameSync(path.join(dir, 'outcome.json'), outside);
      symlinkSync(outside, path.join(dir, 'outcome.json'));
    },
    alone: /^outcome\.json: a symbolic link \(evidence files are never links\)$/,
  },
  {
    name: 'the manifest replaced by a symbolic link',
    tamper: (dir) => {
      const outside = path.join(dir, '..', 'manifest-copy.json');
      renameSync(path.join(dir, 'manifest.json'), outside);
      symlinkSync(outside, path.join(dir, 'manifest.json'));
    },
    alone: /^manifest\.json: a symbolic link/,
  },
  {
    name: 'the chain stripped (a manifest made to look older)',
    tamper: (dir) => {
      const manifest = manifestOf(dir);
      for (const entry of entriesOf(manifest)) delete (entry as Partial<Entry>).chain;
      writeManifest(dir, manifest);
    },
    alone: /not chained/,
  },
  {
    name: 'the manifest deleted',
    tamper: (dir) => {
      rmSync(path.join(dir, 'manifest.json'));
    },
    alone: /^no manifest\.json in /,
  },
];

for (const { name, tamper, alone, anchored } of TAMPERING) {
  test(`tampering caught: ${name}`, async () => {
    const { dir, head } = await sealedRun();
    tamper(dir);
    const withoutLedger = await verifyEvidenceFolder(dir);
    if (alone === 'needs the ledger') {
      expect(withoutLedger.ok, 'the folder alone cannot show a chain rebuilt from scratch').toBe(true);
    } else {
      expect(withoutLedger.ok).toBe(false);
      expect(
        withoutLedger.problems.some((problem) => alone.test(problem)),
        withoutLedger.problems.join('\n'),
      ).toBe(true);
    }
    const withLedger = await verifyEvidenceFolder(dir, { expectedHead: head });
    expect(withLedger.ok).toBe(false);
    if (anchored !== undefined)
      expect(
        withLedger.problems.some((problem) => anchored.test(problem)),
        withLedger.problems.join('\n'),
      ).toBe(true);
  });
}
