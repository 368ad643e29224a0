import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pino, type Logger, type StreamEntry } from 'pino';

/** Wherever they sit in a log line, these fields are replaced before anything is written. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'MOODLE_PASSWORD',
  '*.MOODLE_PASSWORD',
  'cookie',
  '*.cookie',
  'headers.cookie',
  'sesskey',
  '*.sesskey',
  'token',
  '*.token',
];

export interface LoggerOptions {
  level: pino.LevelWithSilent;
  /** JSON lines are appended here (the run's evidence folder), readable by the owner only. */
  file?: string;
  /** Human-readable lines; defaults to stderr. Pass null for none. */
  console?: NodeJS.WritableStream | null;
}

export interface RunLogger {
  logger: Logger;
  /** Flushes and closes the log file. */
  close(): Promise<void>;
}

export function createLogger(options: LoggerOptions): RunLogger {
  const streams: StreamEntry[] = [];
  const fileStream =
    options.file === undefined ? undefined : createWriteStream(options.file, { flags: 'a', mode: 0o600 });
  if (fileStream) streams.push({ level: 'trace', stream: fileStream });
  const consoleStream = options.console === undefined ? process.stderr : options.console;
  if (consoleStream !== null) streams.push({ level: 'trace', stream: readableLines(consoleStream) });
  const logger = pino(
    { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: null },
    pino.multistream(streams),
  );
  return {
    logger,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!fileStream) {
          resolve();
          return;
        }
        fileStream.once('error', reject);
        fileStream.end(resolve);
      }),
  };
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SHOWN_FIRST = ['course', 'step'];

/** Turns pino's JSON lines into "12:04:05 info  MATHS101 · Perform restore — message key=value". */
function readableLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const { level, time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
        const clock = new Date(Number(time)).toTimeString().slice(0, 8);
        const where = SHOWN_FIRST.map((key) => rest[key])
          .filter((value) => value !== undefined)
          .map(String)
          .join(' · ');
        const extras = Object.entries(rest)
          .filter(([key]) => !SHOWN_FIRST.includes(key))
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ');
        const levelName = (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5);
        out.write(
          `${clock} ${levelName} ${where}${where ? ' — ' : ''}${typeof msg === 'string' ? msg : ''}${extras ? ` ${extras}` : ''}\n`,
        );
      }
      done();
    },
  });
}
