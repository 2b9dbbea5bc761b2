/**
 * Dockerfile and .dockerignore, checked structurally (no Docker engine runs here; the parser is
 * tests/ship/dockerfile.ts): stages, a non-root runtime, HEALTHCHECK on /healthz, the server CMD, the
 * runtime files, and a build context that holds what the build reads and none of the local secrets.
 * The image's runtime behaviour (ENV + CMD + HEALTHCHECK on the shipped files) is run in pack.test.ts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type Dockerfile,
  expandArgs,
  type Instruction,
  isIgnored,
  parseDockerfile,
  parseDockerignore,
  type Stage,
  stageEnv,
} from './dockerfile.ts';
import { RUNTIME_PATHS } from './runtime-files.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile: Dockerfile = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
const ignoreRules = parseDockerignore(readFileSync(`${ROOT}.dockerignore`, 'utf8'));
const runtime: Stage = dockerfile.stages[dockerfile.stages.length - 1]!;

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The stages `stage` builds on, itself first. */
function lineage(stage: Stage): Stage[] {
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.from);
  return parent ? [stage, ...lineage(parent)] : [stage];
}

function runs(stage: Stage): string[] {
  return lineage(stage).flatMap((s) => all(s, 'RUN').map((instruction) => instruction.args));
}

/** `[sources…, destination]` of a COPY in exec or shell form. */
function copyPaths(instruction: Instruction): { sources: string[]; dest: string } {
  const parts = instruction.exec ?? instruction.args.split(/\s+/);
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] ?? '' };
}

function healthcheckCommand(): string[] {
  const instruction = all(runtime, 'HEALTHCHECK')[0];
  return parseDockerfile(`FROM scratch\n${instruction?.args ?? ''}`).stages[0]?.instructions[0]?.exec ?? [];
}

describe('Dockerfile', () => {
  it('is multi-stage on node:20-bookworm-slim: deps (npm ci) → build (npm run build) → runtime', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    const image = (stage: Stage) => expandArgs(lineage(stage).at(-1)!.from, dockerfile.globalArgs);
    for (const stage of dockerfile.stages) expect(image(stage), stage.name).toBe('node:20-bookworm-slim');
    const build = dockerfile.stages.find((stage) => runs(stage).some((run) => run.includes('npm run build')));
    expect(build, 'a stage runs `npm run build`').toBeDefined();
    expect(
      runs(build!).some((run) => /\bnpm ci\b/.test(run)),
      'the build stage installs with npm ci',
    ).toBe(true);
    expect(build).not.toBe(runtime);
    expect(all(runtime, 'RUN').every((run) => !/\bnpm (ci|install)\b/.test(run.args))).toBe(true);
  });

  it('ships production node_modules only, installed from the lockfile', () => {
    const modules = all(runtime, 'COPY').find(
      (copy) => copyPaths(copy).dest.replace(/^\.\//, '') === 'node_modules',
    );
    expect(modules?.flags.from, 'node_modules are copied from an earlier stage').toBeDefined();
    const source = dockerfile.stages.find((stage) => stage.name === modules!.flags.from)!;
    const install = runs(source).find((run) => /\bnpm ci\b/.test(run));
    const pruned = runs(source).some((run) => /npm prune\b.*--omit=dev/.test(run));
    expect(install, 'npm ci').toBeDefined();
    expect(/--omit=dev/.test(install!) || pruned, 'dev dependencies are omitted or pruned').toBe(true);
  });

  it('copies every runtime path into the image, from earlier stages only', () => {
    const copied = all(runtime, 'COPY').flatMap((copy) => {
      expect(copy.flags.from, `line ${copy.line}: runtime copies come from a build stage`).toBeDefined();
      expect(dockerfile.stages.map((s) => s.name)).toContain(copy.flags.from);
      return copyPaths(copy).sources.map((source) => source.replace(/^\/app\//, ''));
    });
    for (const path of RUNTIME_PATHS) {
      expect(
        copied.some((source) => path === source || path.startsWith(`${source}/`)),
        path,
      ).toBe(true);
    }
  });

  it('runs as a non-root user with the server command, port and data dir', () => {
    const user = all(runtime, 'USER').at(-1)?.args ?? '';
    expect(user, 'USER is set in the runtime stage').not.toBe('');
    expect(['root', '0', '0:0']).not.toContain(user.split(':')[0]);
    const lastUser = all(runtime, 'USER').at(-1)!.line;
    const afterUser = runtime.instructions.filter((i) => i.line > lastUser && i.keyword === 'RUN');
    expect(afterUser, 'no RUN after dropping root').toEqual([]);
    expect(all(runtime, 'CMD').at(-1)?.exec).toEqual(['node', 'bin/specmint-server', 'start']);
    expect(all(runtime, 'EXPOSE').map((i) => i.args)).toContain('8787');
    const env = stageEnv(runtime);
    expect(env).toMatchObject({
      SPECMINT_DATA_DIR: '/data',
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8787',
    });
    for (const secret of [
      'BETTER_AUTH_SECRET',
      'SPECMINT_SIGNING_KEY',
      'DATABASE_URL',
      'STRIPE_SECRET_KEY',
    ]) {
      expect(env, `${secret} must not be baked into the image`).not.toHaveProperty(secret);
    }
  });

  it('has a HEALTHCHECK on /healthz that passes on 200 and fails on 503 or a closed port', async () => {
    const command = healthcheckCommand();
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/healthz');
    let status = 200;
    let path = '';
    const server: Server = createServer((request, response) => {
      path = request.url ?? '';
      response.writeHead(status).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const probe = () =>
      promisify(execFile)(command[0] === 'node' ? process.execPath : command[0]!, command.slice(1), {
        env: { PATH: process.env.PATH, PORT: String(port) },
        timeout: 20_000,
      }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    try {
      expect(await probe()).toBe(0);
      expect(path).toBe('/healthz');
      status = 503;
      expect(await probe()).not.toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await probe()).not.toBe(0);
  });
});

describe('.dockerignore', () => {
  it('keeps what `npm ci` and `npm run build` read in the build context', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'scripts/build.mjs',
      'bin/specmint',
      'bin/specmint-server',
      'cli/main.ts',
      'cli/config/specmint.config.schema.json',
      'server/main.ts',
      'server/db/migrations/meta/_journal.json',
      'shared/version.ts',
    ];
    expect(needed.filter((path) => isIgnored(ignoreRules, path))).toEqual([]);
  });

  it('leaves out local secrets, installs, build output and tests', () => {
    const excluded = [
      '.env',
      '.git/HEAD',
      'node_modules/zod/package.json',
      'dist/server.js',
      '.specmint/server/secrets/signing-keys.pem',
      'server/.specmint/server/secrets/auth-secret',
      'tests/server/harness.ts',
      'tests/.tmp/ship/x',
      'cli/engine/plan/serialize-params.test.ts',
      'Dockerfile',
      'fly.toml',
      '.github/workflows/ci.yml',
    ];
    expect(excluded.filter((path) => !isIgnored(ignoreRules, path))).toEqual([]);
  });

  it('holds everything `npm run build` reads: the build succeeds in a copy of the context', async () => {
    // Tracked and untracked-but-not-git-ignored files: what a fresh clone (CI, Fly's builder) sends.
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file !== '' && existsSync(join(ROOT, file)) && !isIgnored(ignoreRules, file));
    await mkdir(join(ROOT, 'tests/.tmp/ship'), { recursive: true });
    // Inside the checkout, so `esbuild` resolves from its node_modules like the build stage's install.
    const context = await mkdtemp(join(ROOT, 'tests/.tmp/ship/docker-context-'));
    try {
      for (const file of files) {
        await mkdir(join(context, dirname(file)), { recursive: true });
        await cp(join(ROOT, file), join(context, file));
      }
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: context, timeout: 120_000 });
      expect(existsSync(join(context, 'dist/cli.js'))).toBe(true);
      expect(existsSync(join(context, 'dist/server.js'))).toBe(true);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  }, 180_000);

  it('matches like Docker: parent folders, `**`, and the last rule wins', () => {
    const rules = parseDockerignore('*\n!src/\n**/*.test.ts\n!src/keep.test.ts\n# comment\n/docs\n');
    expect(isIgnored(rules, 'README.md')).toBe(true);
    expect(isIgnored(rules, 'src/a/b.ts')).toBe(false);
    expect(isIgnored(rules, 'src/a/b.test.ts')).toBe(true);
    expect(isIgnored(rules, 'src/keep.test.ts')).toBe(false);
    expect(isIgnored(rules, 'docs/x.md')).toBe(true);
  });
});
