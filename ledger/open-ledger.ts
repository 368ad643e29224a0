import type { Settings } from '../config/env.js';
import type { Ledger } from './ledger.js';
import { describeLedgerUrl, PostgresLedger } from './postgres-ledger.js';
import { SqliteLedger } from './sqlite-ledger.js';

export type LedgerSettings = Pick<Settings, 'ledgerPath' | 'ledgerUrl' | 'ledgerHeartbeatStaleMs'>;

/** The ledger the settings name: PostgreSQL when LEDGER_URL is set (shared by machines), else the SQLite file. */
export async function openLedger(settings: LedgerSettings): Promise<Ledger> {
  const options = { heartbeatStaleMs: settings.ledgerHeartbeatStaleMs };
  return settings.ledgerUrl === undefined
    ? new SqliteLedger(settings.ledgerPath, options)
    : PostgresLedger.open(settings.ledgerUrl, options);
}

/** Where the ledger is, for people (a URL's password is never shown). */
export function describeLedgerLocation(settings: LedgerSettings): string {
  return settings.ledgerUrl === undefined
    ? `${settings.ledgerPath} (SQLite, this machine)`
    : `${describeLedgerUrl(settings.ledgerUrl)} (PostgreSQL, shared)`;
}
