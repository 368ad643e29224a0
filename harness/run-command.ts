import { spawn, type SpawnOptions } from 'node:child_process';

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(
      `${command} exited with ${exitCode ?? 'a signal'}:\n${output.trim().split('\n').slice(-15).join('\n')}`,
    );
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Print the command's output as it comes (long installs show progress). */
  echo?: boolean;
  /** Words to hide from the error message (passwords given as arguments). */
  secrets?: readonly string[];
}

/** Runs a program to its end; resolves with its standard output, rejects with the tail of its output. */
export function run(program: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // Without input, standard input is /dev/null: a program that exits before reading it then leaves
    // no pipe behind to fail with EPIPE.
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  };
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, spawnOptions);
    let stdout = '';
    let combined = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      combined += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      combined += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve(stdout);
        return;
      }
      let shown = `${program} ${args.join(' ')}`;
      let output = combined;
      for (const secret of options.secrets ?? []) {
        if (secret === '') continue;
        shown = shown.split(secret).join('***');
        output = output.split(secret).join('***');
      }
      reject(new CommandError(shown, code, output));
    });
    if (options.input !== undefined) {
      // The program may exit without reading all of it: its exit code says what happened.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

export async function succeeds(
  program: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<boolean> {
  try {
    await run(program, args, options);
    return true;
  } catch {
    return false;
  }
}
