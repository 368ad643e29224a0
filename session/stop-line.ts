import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '../config/env.js';
import { classifyError, operatorLine, RunStopped } from '../rules/operator-errors.js';
import { stackLine } from '../evidence/stack-line.js';

/**
 * The command's last word on an error nothing else caught: one line (the place, the cause, what to
 * do), the README's exit code, and where the evidence and the stack are. The stack is never printed:
 * it goes to the run's log, or for an error outside any run to a log file of its own.
 */
export async function unexpectedStop(error: unknown): Promise<{ line: string; exitCode: 1 | 2 }> {
  if (error instanceof RunStopped)
    return {
      line: `${error.message}${error.evidenceDir === undefined ? '' : `  [evidence: ${error.evidenceDir}]`}`,
      exitCode: error.problem.exitCode,
    };
  let context = {};
  try {
    const settings = loadSettings();
    context = {
      vertUrl: settings.vertUrl,
      bleuUrl: settings.bleuUrl,
      ledgerPath: settings.ledgerPath,
      evidenceDir: settings.evidenceDir,
    };
  } catch {
    // The settings were read before anything ran: an error here is not theirs.
  }
  const problem = classifyError(error, context);
  const log = path.join(tmpdir(), `ecampus-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const logged = await appendFile(log, stackLine(error, 'command'), { mode: 0o600 }).then(
    () => true,
    () => false,
  );
  const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const line = problem === undefined ? `the robot stopped: ${first}` : operatorLine(problem);
  return { line: `${line}${logged ? `  [details: ${log}]` : ''}`, exitCode: problem?.exitCode ?? 1 };
}
