import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Route } from '@playwright/test';
import { cutOffDatabase, psql, reopenDatabase } from '../../harness/database.js';
import type { SitePaths } from '../../harness/paths.js';
import { startWebServer, stopWebServer } from '../../harness/site.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';

/** A fault injected for real into one request from the robot's browser to a site. */
export interface Fault {
  name: string;
  inject: (route: Route) => Promise<void>;
  /** Puts the harness back once the robot's run is over (a server started again). */
  recover?: () => Promise<void>;
  /** The teacher's session on the site is gone: the test logs in again before the next run. */
  endsSession?: boolean;
}

export const FAULT_KINDS = [
  'serverError',
  'unavailable',
  'connectionReset',
  'sessionKilled',
  'webServerDown',
  'databaseDown',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Each fault kind, aimed at one site of the harness and the teacher's account on it. */
export function faultsOn(site: SitePaths, teacher: string): Record<FaultKind, Fault> {
  return {
    serverError: {
      name: 'HTTP 500',
      inject: (route) =>
        route.fulfill({
          status: 500,
          contentType: 'text/html',
          body: '<html><title>500</title>Internal Server Error</html>',
        }),
    },
    unavailable: {
      name: 'HTTP 503',
      inject: (route) =>
        route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }),
    },
    connectionReset: { name: 'connection reset', inject: (route) => route.abort('connectionreset') },
    sessionKilled: {
      name: `the teacher's Moodle sessions deleted on ${site.role}`,
      inject: async (route) => {
        await psql(
          `DELETE FROM mdl_sessions WHERE userid = (SELECT id FROM mdl_user WHERE username = '${teacher}')`,
          site.database,
        );
        await route.continue();
      },
      endsSession: true,
    },
    webServerDown: {
      name: `${site.role}'s web server stopped`,
      inject: async (route) => {
        stopWebServer(site);
        await route.continue();
      },
      recover: async () => {
        await startWebServer(site);
      },
    },
    databaseDown: {
      name: `${site.role}'s database cut off (open connections ended, new ones refused)`,
      inject: async (route) => {
        await cutOffDatabase(site.database, { refuse: true });
        await route.continue();
      },
      recover: () => reopenDatabase(site.database),
    },
  };
}

/**
 * Which request of a step the fault hits: its first page load, or its first call of one Moodle web
 * service (named: the page's own background calls, a notification poll say, must not take the hit).
 */
export type FaultedRequest = 'page' | { service: string };

/**
 * Arms a fault for the first request of the given kind that one robot step makes to a site (a link
 * followed, a form posted, a window opened; or a web-service call) and disarms it when the step
 * ends. Returns the robot's step hook and how many requests the fault hit.
 */
export function faultDuring(
  context: BrowserContext,
  siteUrl: string,
  stepName: string,
  fault: Fault,
  request: FaultedRequest = 'page',
) {
  const hits = { count: 0 };
  const pattern = `${siteUrl}/**`;
  const isTarget = (route: Route) =>
    request === 'page'
      ? route.request().isNavigationRequest()
      : new URL(route.request().url()).pathname.endsWith('/lib/ajax/service.php') &&
        (route.request().postData() ?? '').includes(`"methodname":"${request.service}"`);
  const handler = async (route: Route) => {
    if (hits.count === 0 && isTarget(route)) {
      hits.count++;
      await fault.inject(route);
      return;
    }
    await route.continue();
  };
  const stepHook = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    if (name !== stepName) return action();
    await context.route(pattern, handler);
    try {
      return await action();
    } finally {
      await context.unroute(pattern, handler);
    }
  };
  return { hits, stepHook };
}

/** The steps an evidence folder's manifests record as done. */
export function stepsDone(evidenceDir: string): string[] {
  if (!existsSync(evidenceDir)) return [];
  return readdirSync(evidenceDir).flatMap((run) => {
    try {
      const manifest = JSON.parse(readFileSync(path.join(evidenceDir, run, 'manifest.json'), 'utf8')) as {
        steps: { step: string; outcome: string }[];
      };
      return manifest.steps.filter((step) => step.outcome === 'done').map((step) => step.step);
    } catch {
      return []; // being written
    }
  });
}

export async function ledgerState(ledgerPath: string, courseId: number): Promise<string> {
  const ledger = new SqliteLedger(ledgerPath);
  try {
    return (await ledger.status(courseId)).state;
  } finally {
    await ledger.close();
  }
}
