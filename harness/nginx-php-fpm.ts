import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { readPidFile, statFields } from './process-tree.js';

/**
 * A site served by Debian's nginx in front of its own php-fpm master, instead of `php -S`.
 * Everything lives in the site's run folder: configs, the fpm socket, pid files, logs and nginx's
 * temporary folders. Nothing under /etc is changed and no system service is used.
 */
export interface NginxPhpFpmSite {
  /** Names the files in the run folder ("vert" gives vert-nginx.conf, vert-fpm.sock...). */
  name: string;
  port: number;
  /**
   * The folder served as the document root: Moodle's web root (its `public/` from 5.1, else the code
   * folder). The dataroot must stay outside it.
   */
  codeDir: string;
  dataDir: string;
  runDir: string;
  /** Where nginx's master records its pid: the site's usual web pid file, so older callers see it. */
  pidFile: string;
  /** `name=value` settings given to every fpm child as php_admin_value. */
  phpSettings: readonly string[];
  /** Children of the static pool: enough for 4 parallel browsers and their parallel requests. */
  children: number;
}

export const FPM_BINARY = 'php-fpm8.2';
export const NGINX_BINARY = 'nginx';
export const NGINX_MIME_TYPES = '/etc/nginx/mime.types';
export const NGINX_FASTCGI_PARAMS = '/etc/nginx/fastcgi_params';

export interface NginxPhpFpmFiles {
  nginxConf: string;
  nginxPrefix: string;
  nginxErrorLog: string;
  fpmConf: string;
  fpmSocket: string;
  fpmPidFile: string;
  fpmLog: string;
}

export function nginxPhpFpmFiles(site: NginxPhpFpmSite): NginxPhpFpmFiles {
  const file = (suffix: string) => path.join(site.runDir, `${site.name}-${suffix}`);
  return {
    nginxConf: file('nginx.conf'),
    nginxPrefix: file('nginx'),
    nginxErrorLog: file('nginx-error.log'),
    fpmConf: file('fpm.conf'),
    fpmSocket: file('fpm.sock'),
    fpmPidFile: file('fpm.pid'),
    fpmLog: file('fpm.log'),
  };
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function settingParts(setting: string): [string, string] {
  const at = setting.indexOf('=');
  if (at <= 0) throw new Error(`PHP setting "${setting}" is not name=value`);
  return [setting.slice(0, at).trim(), setting.slice(at + 1).trim()];
}

export function fpmConfig(site: NginxPhpFpmSite): string {
  const files = nginxPhpFpmFiles(site);
  const lines = [
    "; Written by ecampus-restore's harness; rewritten at every start.",
    '[global]',
    `pid = ${files.fpmPidFile}`,
    `error_log = ${files.fpmLog}`,
    'daemonize = yes',
    '',
    `[${site.name}]`,
    ...(runningAsRoot() ? ['user = root', 'group = root'] : []),
    `listen = ${files.fpmSocket}`,
    'listen.mode = 0600',
    // Always-ready children: no spawning delay when 4 browsers start at once.
    'pm = static',
    `pm.max_children = ${site.children}`,
    'catch_workers_output = yes',
    'decorate_workers_output = no',
    // Like php -S, the children see the harness's environment (PATH for Moodle's helpers).
    'clear_env = no',
    ...site.phpSettings.map((setting) => {
      const [name, value] = settingParts(setting);
      return `php_admin_value[${name}] = ${value}`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** Moodle's recommended denials: files that must never be served from the code folder. */
const DENIED =
  '(/vendor/|/node_modules/|composer\\.json|/readme|/README|readme\\.txt|/upgrade\\.txt|/UPGRADING\\.md|db/install\\.xml|/fixtures/|/behat/|phpunit\\.xml|\\.lock|environment\\.xml)';

export function nginxConfig(site: NginxPhpFpmSite): string {
  const files = nginxPhpFpmFiles(site);
  const temp = (kind: string) => path.join(files.nginxPrefix, kind);
  const lines = [
    "# Written by ecampus-restore's harness; rewritten at every start.",
    // As root, nginx's workers would otherwise run as nobody, who cannot read the code folder.
    ...(runningAsRoot() ? ['user root root;'] : []),
    'worker_processes auto;',
    `pid ${site.pidFile};`,
    `error_log ${files.nginxErrorLog} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  include ${NGINX_MIME_TYPES};`,
    '  default_type application/octet-stream;',
    '  access_log off;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  keepalive_timeout 65;',
    '  server_tokens off;',
    '  client_max_body_size 512M;',
    `  client_body_temp_path ${temp('client_body')};`,
    `  fastcgi_temp_path ${temp('fastcgi')};`,
    `  proxy_temp_path ${temp('proxy')};`,
    `  scgi_temp_path ${temp('scgi')};`,
    `  uwsgi_temp_path ${temp('uwsgi')};`,
    '  server {',
    `    listen 127.0.0.1:${site.port};`,
    '    server_name 127.0.0.1;',
    `    root ${site.codeDir};`,
    '    index index.php index.html;',
    '    location ~ /\\. { return 404; }',
    `    location ~ ${DENIED} { return 404; }`,
    // Slash arguments: /theme/styles.php/boost/123/all reaches styles.php with PATH_INFO.
    '    location ~ [^/]\\.php(/|$) {',
    '      fastcgi_split_path_info ^(.+?\\.php)(/.*)$;',
    '      if (!-f $document_root$fastcgi_script_name) { return 404; }',
    `      include ${NGINX_FASTCGI_PARAMS};`,
    '      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;',
    '      fastcgi_param PATH_INFO $fastcgi_path_info;',
    '      fastcgi_index index.php;',
    `      fastcgi_pass unix:${files.fpmSocket};`,
    '      fastcgi_buffer_size 64k;',
    '      fastcgi_buffers 32 16k;',
    // Synchronous restores and backups can hold a request for minutes.
    '      fastcgi_read_timeout 3600s;',
    '    }',
    // Everything else is a static file from the code folder, served by nginx itself.
    '    location / { try_files $uri $uri/ =404; }',
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** A zombie (exited, not yet reaped by this machine's init) counts as gone. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return statFields(pid)?.[0] !== 'Z';
}

function pidIn(pidFile: string): number | undefined {
  const pid = readPidFile(pidFile)?.pid;
  return pid !== undefined && processAlive(pid) ? pid : undefined;
}

/** Our nginx's master when the pid in the site's pid file really is nginx (not a php -S). */
export function nginxPid(pidFile: string): number | undefined {
  const pid = pidIn(pidFile);
  if (pid === undefined) return undefined;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('nginx') ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function nginxPhpFpmRunning(site: NginxPhpFpmSite): { nginx: boolean; fpm: boolean } {
  return {
    nginx: nginxPid(site.pidFile) !== undefined,
    fpm: pidIn(nginxPhpFpmFiles(site).fpmPidFile) !== undefined,
  };
}

function checkLayout(site: NginxPhpFpmSite): void {
  const code = path.resolve(site.codeDir) + path.sep;
  const data = path.resolve(site.dataDir) + path.sep;
  if (data.startsWith(code))
    throw new Error(
      `the dataroot ${site.dataDir} is inside the code folder ${site.codeDir}: nginx would serve it`,
    );
}

async function gone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs nginx or php-fpm to its exit, its output appended to a log file (both daemonize: their
 * children must not hold a pipe of ours). Rejects with what the program wrote when it fails.
 */
function runLogged(program: string, args: readonly string[], logFile: string): Promise<void> {
  const before = existsSync(logFile) ? statSync(logFile).size : 0;
  const log = openSync(logFile, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', log, log] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const said = readFileSync(logFile, 'utf8').slice(before).trim().split('\n').slice(-10).join('\n');
      reject(new Error(`${program} ${args.join(' ')} failed (${code ?? signal ?? '?'}):\n${said}`));
    });
  }).finally(() => {
    closeSync(log);
  });
}

/**
 * Writes both configs, checks them, then starts php-fpm and nginx, each of which returns once it has
 * daemonized (a bad config or a taken port is an error here, with the program's own message). The
 * caller has stopped any server on the site's port; a leftover fpm of this site is replaced.
 */
export async function startNginxPhpFpm(site: NginxPhpFpmSite): Promise<void> {
  checkLayout(site);
  const files = nginxPhpFpmFiles(site);
  mkdirSync(site.runDir, { recursive: true });
  for (const kind of ['client_body', 'fastcgi', 'proxy', 'scgi', 'uwsgi'])
    mkdirSync(path.join(files.nginxPrefix, kind), { recursive: true });
  writeFileSync(files.fpmConf, fpmConfig(site));
  writeFileSync(files.nginxConf, nginxConfig(site));
  const fpmArgs = ['--fpm-config', files.fpmConf, ...(runningAsRoot() ? ['--allow-to-run-as-root'] : [])];
  const nginxArgs = ['-c', files.nginxConf, '-p', files.nginxPrefix + path.sep, '-e', files.nginxErrorLog];
  await runLogged(FPM_BINARY, [...fpmArgs, '--test'], files.fpmLog);
  await runLogged(NGINX_BINARY, [...nginxArgs, '-t', '-q'], files.nginxErrorLog);
  const leftover = pidIn(files.fpmPidFile);
  if (leftover !== undefined) {
    process.kill(leftover, 'SIGTERM');
    await gone(leftover, 10_000);
  }
  rmSync(files.fpmSocket, { force: true });
  await runLogged(FPM_BINARY, fpmArgs, files.fpmLog);
  await runLogged(NGINX_BINARY, nginxArgs, files.nginxErrorLog);
}

/**
 * Sends nginx a fast shutdown and php-fpm its termination signal, without waiting (like the php -S
 * stop); true when either was running. A start waits for the port to be free.
 */
export function stopNginxPhpFpm(site: NginxPhpFpmSite): boolean {
  const files = nginxPhpFpmFiles(site);
  let stopped = false;
  for (const pid of [nginxPid(site.pidFile), pidIn(files.fpmPidFile)]) {
    if (pid === undefined) continue;
    process.kill(pid, 'SIGTERM');
    stopped = true;
  }
  return stopped;
}
