/** Secret values in the runner's configuration: BATON_SECRET_* variables and --secrets-file. */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { lookupSecret, secretEnvName, secretRedactor } from '../../src/activities/http/secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('BATON_SECRET_<NAME>: upper case, non-alphanumerics become _, empty means unset', () => {
  expect([secretEnvName('apiToken'), secretEnvName('github.token'), secretEnvName('my-key_2')]).toEqual([
    'BATON_SECRET_APITOKEN',
    'BATON_SECRET_GITHUB_TOKEN',
    'BATON_SECRET_MY_KEY_2',
  ]);
  const loaded = loadConfig({
    argv: [],
    env: { BATON_SECRET_APITOKEN: 'tok', BATON_SECRET_github_token: 'gh', BATON_SECRET_EMPTY: '', BATON_SECRET_: 'nameless', BATON_SECRETS_FILE: '' },
  });
  expect(loaded.ok).toBe(true);
  if (!loaded.ok) return;
  const { secrets } = loaded.config;
  expect(secrets.env).toEqual({ APITOKEN: 'tok', GITHUB_TOKEN: 'gh' });
  expect(lookupSecret(secrets, 'apiToken')).toBe('tok');
  expect(lookupSecret(secrets, 'github.token')).toBe('gh');
  expect(lookupSecret(secrets, 'empty')).toBeUndefined();
  expect(lookupSecret(secrets, 'constructor')).toBeUndefined();
});

test('--secrets-file is a JSON object by exact name; the environment wins over it', () => {
  const file = join(dir, 'secrets.json');
  writeFileSync(file, JSON.stringify({ apiToken: 'from-file', db: { user: 'u', password: 'p' } }));
  const loaded = loadConfig({ argv: ['--secrets-file', file], env: { BATON_SECRET_APITOKEN: 'from-env' } });
  expect(loaded.ok).toBe(true);
  if (!loaded.ok) return;
  expect(lookupSecret(loaded.config.secrets, 'apiToken')).toBe('from-env');
  expect(lookupSecret(loaded.config.secrets, 'db')).toEqual({ user: 'u', password: 'p' });
  expect(lookupSecret(loaded.config.secrets, 'DB')).toBeUndefined();
  const fromEnv = loadConfig({ argv: [], env: { BATON_SECRETS_FILE: file } });
  expect(fromEnv.ok && lookupSecret(fromEnv.config.secrets, 'apiToken')).toBe('from-file');
});

test('a bad secrets file is a problem that never quotes its content', () => {
  const notJson = join(dir, 'broken.json');
  writeFileSync(notJson, '{"apiToken": hunter2-secret');
  const array = join(dir, 'array.json');
  writeFileSync(array, '["hunter2-secret"]');
  for (const [path, message] of [
    [notJson, 'is not valid JSON'],
    [array, 'must hold a JSON object'],
    [join(dir, 'absent.json'), 'cannot read'],
  ] as const) {
    const loaded = loadConfig({ argv: [`--secrets-file=${path}`], env: {} });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) continue;
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toMatchObject({ code: 'CONFIG_INVALID', setting: '--secrets-file' });
    expect(loaded.problems[0]!.message).toContain(message);
    expect(loaded.problems[0]!.message).not.toContain('hunter2');
  }
});

test('the redactor cuts values, their encodings and nested leaves, longest first', () => {
  const redact = secretRedactor(['eu west/1', { password: 'p@ss"word' }, '', 'tok', 'token-long']);
  expect(redact('a eu west/1 b eu%20west%2F1 c eu+west%2F1 d eu%20west/1')).toBe('a *** b *** c *** d ***');
  expect(redact('{"x":"p@ss\\"word"} p%40ss%22word')).toBe('{"x":"***"} ***');
  expect(redact('token-long tok')).toBe('*** ***');
  expect(secretRedactor([])('unchanged')).toBe('unchanged');
});
