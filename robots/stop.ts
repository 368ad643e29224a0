import type { RestoreOutcome } from '../domain/outcome.js';
import { withoutUrlSecrets } from '../evidence/url-secrets.js';

/** Ends the procedure: `refused` when the robot chose to stop, `failed` when something went wrong. */
export class Stop extends Error {
  constructor(
    readonly kind: 'refused' | 'failed',
    readonly step: string,
    reason: string,
  ) {
    super(withoutUrlSecrets(reason));
  }
}

/** Another run took the course while this one worked on it: the outcome is read from the ledger again. */
export class TakenMeanwhile extends Stop {
  constructor() {
    super(
      'refused',
      'check the ledger',
      'another run took the course meanwhile, then let it go: run it again',
    );
  }
}

/**
 * Ends the procedure early with an outcome that is neither a refusal nor a failure: already restored,
 * left to another run, an interrupted run settled, a dry run, a restore whose content differs.
 */
export class Finished extends Error {
  constructor(readonly outcome: RestoreOutcome) {
    super(`finished: ${outcome.status}`);
  }
}
