import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE } from '../evidence/manifest-chain.js';
import { describeLedgerLocation, openLedger, type LedgerSettings } from './open-ledger.js';

export interface EvidenceAnchor {
  /** The hash the folder's chain must end at, when one was recorded or given. */
  expectedHead?: string;
  problems: string[];
  /** What the chain's end was compared with, for the admin. */
  note: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The hash an evidence folder's chain must end at: the one given (`--chain`), else the seal the ledger
 * recorded when the run ended. A sealed folder the ledger does not know is a problem: it was made
 * elsewhere, or its record is gone.
 */
export async function ledgerAnchor(
  dir: string,
  given: string | undefined,
  ledgerSettings: () => LedgerSettings,
): Promise<EvidenceAnchor> {
  if (given !== undefined) {
    return SHA256.test(given)
      ? { expectedHead: given, problems: [], note: 'its end compared with the hash given (--chain)' }
      : {
          problems: [`--chain must be a SHA-256 in hexadecimal (64 characters 0-9a-f), got "${given}"`],
          note: '',
        };
  }
  const sealed = await manifestIsSealed(dir);
  const settings = ledgerSettings();
  const file = describeLedgerLocation(settings);
  if (settings.ledgerUrl === undefined && !existsSync(settings.ledgerPath))
    return {
      problems: [],
      note: `its end not compared with any record: no ledger at ${settings.ledgerPath} (give --chain <hash> to compare)`,
    };
  // The ledger the runs wrote to: with LEDGER_URL, the shared PostgreSQL one, never a local file beside it.
  const ledger = await openLedger(settings);
  try {
    const seal =
      (await ledger.evidenceSeal(path.resolve(dir))) ??
      (existsSync(dir) ? await ledger.evidenceSeal(realpathSync(dir)) : undefined);
    if (seal !== undefined)
      return {
        expectedHead: seal.chainHead,
        problems: [],
        note: `its end is the hash the ledger recorded when run ${seal.runId} of ${seal.courseLabel} ended (${seal.sealedAt})`,
      };
    return sealed
      ? {
          problems: [`the manifest is sealed, but the ledger at ${file} holds no seal for this folder`],
          note: '',
        }
      : {
          problems: [],
          note: `not sealed: its run did not end (interrupted?), so the chain's end cannot be proven by ${file}`,
        };
  } finally {
    await ledger.close();
  }
}

async function manifestIsSealed(dir: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as {
      sealed?: unknown;
    };
    return manifest.sealed !== undefined;
  } catch {
    return false;
  }
}
