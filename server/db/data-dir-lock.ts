import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds the embedded database's data dir. */
export interface DataDirOwner {
  pid: number;
  /** `server` (its admin API is at `url`) or a one-off `admin`/`migrate` command. */
  role: 'server' | 'command';
  /** Loopback URL of the running server's API, when the owner is a server. */
  url: string | null;
  startedAt: string;
}

/** The data dir is held by another live process. */
export class DataDirLockedError extends Error {
  readonly owner: DataDirOwner;
  constructor(dataDir: string, owner: DataDirOwner) {
    const who = owner.role === 'server' ? `a running specmint-server (pid ${owner.pid})` : `pid ${owner.pid}`;
    super(`The embedded database in ${dataDir} is in use by ${who}. PGlite allows one process per data dir.`);
    this.name = 'DataDirLockedError';
    this.owner = owner;
  }
}

const ownerFile = (dataDir: string): string => join(dataDir, 'owner.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of `dataDir`, or null when nobody (alive) holds it. */
export function readDataDirOwner(dataDir: string): DataDirOwner | null {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as DataDirOwner;
    return typeof owner.pid === 'number' && isAlive(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/** A held lock. */
export interface DataDirLock {
  /** Records where the server listens (after `listen`). */
  setUrl(url: string): void;
  /** Removes the lock file if this process still owns it. */
  release(): void;
}

/**
 * Takes the data dir for this process (an `owner.json` created exclusively). A lock left by a dead
 * process is taken over; one held by a live process throws {@link DataDirLockedError}.
 */
export function acquireDataDirLock(dataDir: string, role: DataDirOwner['role']): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = ownerFile(dataDir);
  const owner: DataDirOwner = { pid: process.pid, role, url: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return {
        setUrl(url) {
          owner.url = url;
          writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
        },
        release() {
          const current = readDataDirOwner(dataDir);
          if (current?.pid === process.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readDataDirOwner(dataDir);
      if (current) throw new DataDirLockedError(dataDir, current);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
