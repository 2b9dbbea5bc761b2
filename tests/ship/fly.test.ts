/**
 * fly.toml, parsed as TOML (smol-toml) and checked against the keys flyctl reads (internal/appconfig) and
 * against the server: port, health checks, migrations as the release command, a deploy strategy that keeps
 * the old version serving, an environment the server accepts, and secrets documented but never committed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env.ts';
import { parseDockerfile, stageEnv } from './dockerfile.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const text = readFileSync(`${ROOT}fly.toml`, 'utf8');
const config = parse(text) as Record<string, unknown>;

/** Keys flyctl's appconfig.Config accepts, per section (a subset: what an HTTP app uses). */
const KNOWN_KEYS: Record<string, string[]> = {
  '': [
    'app',
    'primary_region',
    'kill_signal',
    'kill_timeout',
    'swap_size_mb',
    'console_command',
    'experimental',
    'build',
    'deploy',
    'env',
    'processes',
    'mounts',
    'http_service',
    'services',
    'checks',
    'files',
    'machine_checks',
    'restart',
    'vm',
    'statics',
    'metrics',
  ],
  build: [
    'builder',
    'args',
    'buildpacks',
    'image',
    'settings',
    'builtin',
    'dockerfile',
    'ignorefile',
    'build-target',
  ],
  deploy: [
    'strategy',
    'max_unavailable',
    'wait_timeout',
    'release_command',
    'release_command_timeout',
    'release_command_vm',
    'seed_command',
  ],
  http_service: [
    'internal_port',
    'force_https',
    'auto_stop_machines',
    'auto_start_machines',
    'min_machines_running',
    'processes',
    'concurrency',
    'tls_options',
    'http_options',
    'checks',
    'machine_checks',
  ],
  concurrency: ['type', 'soft_limit', 'hard_limit'],
  check: [
    'interval',
    'timeout',
    'grace_period',
    'method',
    'path',
    'protocol',
    'tls_skip_verify',
    'tls_server_name',
    'headers',
  ],
  vm: ['size', 'memory', 'cpus', 'cpu_kind', 'memory_mb', 'gpus', 'gpu_kind', 'kernel_args', 'processes'],
};

/** Server settings that are secrets: set with `fly secrets set`, never in fly.toml. */
const SECRETS = [
  'DATABASE_URL',
  'BETTER_AUTH_SECRET',
  'SPECMINT_SIGNING_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'GITHUB_CLIENT_SECRET',
  'GOOGLE_CLIENT_SECRET',
];

function section(value: unknown): Record<string, unknown> {
  expect(value).toBeTypeOf('object');
  return value as Record<string, unknown>;
}

function unknownKeys(value: unknown, known: string[]): string[] {
  return Object.keys(section(value)).filter((key) => !known.includes(key));
}

function seconds(duration: unknown): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(String(duration));
  if (!match) throw new Error(`not a duration: ${String(duration)}`);
  const value = Number(match[1]);
  return match[2] === 'm' ? value * 60 : match[2] === 'ms' ? value / 1000 : value;
}

describe('fly.toml', () => {
  const http = section(config.http_service);
  const deploy = section(config.deploy);
  const env = section(config.env) as Record<string, string>;

  it('uses only keys flyctl knows', () => {
    expect(unknownKeys(config, KNOWN_KEYS['']!)).toEqual([]);
    expect(unknownKeys(config.build, KNOWN_KEYS.build!)).toEqual([]);
    expect(unknownKeys(deploy, KNOWN_KEYS.deploy!)).toEqual([]);
    expect(unknownKeys(http, KNOWN_KEYS.http_service!)).toEqual([]);
    expect(unknownKeys(http.concurrency, KNOWN_KEYS.concurrency!)).toEqual([]);
    for (const check of http.checks as unknown[]) expect(unknownKeys(check, KNOWN_KEYS.check!)).toEqual([]);
    for (const vm of config.vm as unknown[]) expect(unknownKeys(vm, KNOWN_KEYS.vm!)).toEqual([]);
    expect(config.app).toMatch(/^[a-z0-9-]+$/);
  });

  it('serves the port the image exposes and the server listens on, on all interfaces', () => {
    const dockerfile = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
    const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
    const exposed = runtime.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => Number(i.args));
    expect(http.internal_port).toBe(8787);
    expect(exposed).toContain(http.internal_port);
    expect(Number(env.PORT ?? stageEnv(runtime).PORT)).toBe(http.internal_port);
    expect(env.HOST ?? stageEnv(runtime).HOST).toBe('0.0.0.0');
    expect(http.force_https).toBe(true);
    expect(http.min_machines_running).toBeGreaterThanOrEqual(1);
  });

  it('health-checks /healthz and /readyz over HTTP GET', () => {
    const checks = (http.checks as Array<Record<string, unknown>>).map((check) => [check.method, check.path]);
    expect(checks).toEqual(
      expect.arrayContaining([
        ['GET', '/healthz'],
        ['GET', '/readyz'],
      ]),
    );
  });

  it('migrates as the release command and keeps the old version serving until the new one is healthy', () => {
    expect(deploy.release_command).toBe('node bin/specmint-server migrate');
    expect(['bluegreen', 'canary']).toContain(deploy.strategy);
    // The server drains for up to 15 s on SIGTERM (server/main.ts); Fly must wait longer before SIGKILL.
    expect(config.kill_signal).toBe('SIGTERM');
    expect(seconds(config.kill_timeout)).toBeGreaterThan(15);
    expect(seconds(deploy.wait_timeout)).toBeLessThanOrEqual(180);
  });

  it('sets an environment the server accepts, in production mode', () => {
    const parsed = parseEnv(env);
    expect(parsed.production).toBe(true);
    expect(parsed.port).toBe(8787);
    expect(parsed.trustProxy).toEqual({ kind: 'hops', hops: 1, flyClientIp: false });
    expect(parsed.baseUrl).toMatch(/^https:\/\//);
  });

  it('documents every secret and commits none', () => {
    for (const name of SECRETS) {
      expect(env, `${name} belongs in fly secrets`).not.toHaveProperty(name);
      expect(text, `${name} is documented in the comments`).toMatch(new RegExp(`^#.*\\b${name}\\b`, 'm'));
    }
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(text).not.toMatch(/\b(sk|rk)_(live|test)_[0-9A-Za-z]+/);
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s"]*:[^\s"]*@/);
    expect(text).toContain('fly secrets set');
  });
});
