import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { CREDENTIALS_FILE, createFileStore, openCredentialStore } from './credential-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'specmint-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const credentials = (apiUrl: string, token: string) => ({
  token,
  apiUrl,
  savedAt: '2025-01-01T00:00:00.000Z',
});

describe('file credential store', () => {
  it('saves per server in a 0600 file, loads and clears', async () => {
    const configDir = join(dir, 'a');
    const store = createFileStore(configDir);
    expect(await store.load('http://one.test')).toBeUndefined();
    await store.save(credentials('http://one.test', 't1'));
    await store.save(credentials('http://two.test', 't2'));
    expect(statSync(join(configDir, CREDENTIALS_FILE)).mode & 0o777).toBe(0o600);
    expect((await store.load('http://one.test'))?.token).toBe('t1');
    expect(await store.clear('http://one.test')).toBe(true);
    expect(await store.clear('http://one.test')).toBe(false);
    expect((await store.load('http://two.test'))?.token).toBe('t2');
  });

  it('reports a corrupt file as bad input', async () => {
    const configDir = join(dir, 'corrupt');
    const store = createFileStore(configDir);
    await store.save(credentials('http://one.test', 't1'));
    writeFileSync(join(configDir, CREDENTIALS_FILE), '{not json');
    await expect(store.load('http://one.test')).rejects.toBeInstanceOf(InputError);
  });

  it('reports a config dir that is a file as bad input', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const store = createFileStore(file);
    await expect(store.load('http://one.test')).rejects.toBeInstanceOf(InputError);
    await expect(store.save(credentials('http://one.test', 't'))).rejects.toBeInstanceOf(InputError);
  });

  it('is what SPECMINT_CREDENTIAL_STORE=file selects', async () => {
    const store = await openCredentialStore({
      configDir: join(dir, 'forced'),
      env: { SPECMINT_CREDENTIAL_STORE: 'file' },
    });
    expect(store.kind).toBe('file');
    expect(store.location).toBe(join(dir, 'forced', CREDENTIALS_FILE));
  });
});
