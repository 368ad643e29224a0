import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { inLoginTurn, loginLockDir } from '../../session/login-turns.js';
import { scratchDir } from '../helpers/scratch-dir.js';

test('logins of one account to one site take turns; other sites or accounts do not wait', async () => {
  const lockDir = scratchDir('ecampus-login-turns');
  const events: string[] = [];
  const login = (site: string, user: string, name: string) =>
    inLoginTurn(
      site,
      user,
      async () => {
        events.push(`${name} in`);
        // Each login yields to the event loop several times, as a real one does.
        for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        events.push(`${name} out`);
        return name;
      },
      { lockDir },
    );
  const names = await Promise.all([
    login('https://vert', 'teacher1', 'a'),
    login('https://vert', 'teacher1', 'b'),
    login('https://vert', 'teacher1', 'c'),
  ]);
  expect(names).toEqual(['a', 'b', 'c']);
  for (let index = 0; index < events.length; index += 2) {
    expect(events[index]?.replace(' in', ''), events.join(', ')).toBe(events[index + 1]?.replace(' out', ''));
  }
  const others: string[] = [];
  await inLoginTurn(
    'https://vert',
    'teacher1',
    async () => {
      // Held: another account, and the same account on another site, go ahead meanwhile.
      others.push(
        await inLoginTurn('https://vert', 'teacher2', () => Promise.resolve('teacher2'), { lockDir }),
      );
      others.push(await inLoginTurn('https://bleu', 'teacher1', () => Promise.resolve('bleu'), { lockDir }));
    },
    { lockDir },
  );
  expect(others).toEqual(['teacher2', 'bleu']);
  expect(readdirSync(lockDir)).toEqual([]);
});

test("a turn left by a killed process is taken over; a live holder's is waited for, then named", async () => {
  const lockDir = scratchDir('ecampus-login-turns');
  const dead = spawnSync('true').pid;
  // The lock file's name is private to the module: make one by holding a turn, then fake its holder.
  let lockFile = '';
  await inLoginTurn(
    'https://vert',
    'teacher1',
    () => {
      lockFile = path.join(lockDir, readdirSync(lockDir)[0] ?? '');
      return Promise.resolve();
    },
    { lockDir },
  );
  writeFileSync(lockFile, `${dead}@${hostname()}`);
  expect(
    await inLoginTurn('https://vert', 'teacher1', () => Promise.resolve('taken over'), { lockDir }),
  ).toBe('taken over');
  writeFileSync(lockFile, `${process.pid}@${hostname()}`);
  await expect(
    inLoginTurn('https://vert', 'teacher1', () => Promise.resolve(), { lockDir, timeoutMs: 300 }),
  ).rejects.toThrow(/waited 0.3 s for another login to https:\/\/vert to end/);
});

test('the login locks live in an owner-only folder beside the ledger, not in the shared /tmp', async () => {
  const previous = process.umask(0o022);
  try {
    const lockDir = loginLockDir(path.join(scratchDir('ecampus-state'), 'state', 'ledger.sqlite'));
    expect(path.basename(path.dirname(lockDir))).toBe('state');
    await inLoginTurn('https://vert', 'teacher1', () => Promise.resolve(), { lockDir });
    expect(statSync(lockDir).mode & 0o777).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});
