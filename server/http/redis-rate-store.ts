import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { type RateDecision, type RateStore, secondsUntil } from './rate-store.ts';

/** Every key this store writes starts with this. */
export const REDIS_KEY_PREFIX = 'specmint:rl:';

/** INCRBY and the window's remaining time in one atomic step; a new key gets the window as its TTL. */
const CONSUME_LUA = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}`;

const PEEK_LUA = `return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}`;

const REFUND_LUA = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

interface ScriptedRedis extends Redis {
  specmintConsume(key: string, weight: number, windowMs: number): Promise<[number, number]>;
  specmintPeek(key: string): Promise<[number, number]>;
  specmintRefund(key: string): Promise<number>;
}

/** Options of {@link createRedisRateStore}. */
export interface RedisRateStoreOptions {
  /** `redis://` or `rediss://` URL (REDIS_URL). */
  url: string;
  logger?: Logger;
}

/**
 * The {@link RateStore} in Redis (REDIS_URL): one Lua script per decision, so the count and its expiry
 * change together. ioredis pipelines the commands issued in one event-loop turn. When Redis is
 * unreachable, commands fail after two retries and the request answers 503 (never a silent pass).
 */
export function createRedisRateStore(options: RedisRateStoreOptions): RateStore {
  const redis = new Redis(options.url, {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
  }) as ScriptedRedis;
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnection; log each distinct problem once.
    if (error.message === lastError) return;
    lastError = error.message;
    options.logger?.warn('Redis (rate limits) is unreachable; retrying', { error });
  });
  redis.on('ready', () => {
    lastError = '';
  });
  redis.defineCommand('specmintConsume', { numberOfKeys: 1, lua: CONSUME_LUA });
  redis.defineCommand('specmintPeek', { numberOfKeys: 1, lua: PEEK_LUA });
  redis.defineCommand('specmintRefund', { numberOfKeys: 1, lua: REFUND_LUA });

  return {
    kind: 'redis',
    async consume(key, rule): Promise<RateDecision> {
      const now = Date.now();
      const [count, ttl] = await redis.specmintConsume(REDIS_KEY_PREFIX + key, 1, rule.windowMs);
      return { allowed: count <= rule.max, retryAfterSeconds: secondsUntil(now + ttl, now) };
    },
    async peek(key, rule) {
      const now = Date.now();
      const [count, ttl] = await redis.specmintPeek(REDIS_KEY_PREFIX + key);
      if (ttl < 0) return { allowed: true, retryAfterSeconds: 1 };
      return { allowed: count < rule.max, retryAfterSeconds: secondsUntil(now + ttl, now) };
    },
    async refund(key) {
      await redis.specmintRefund(REDIS_KEY_PREFIX + key);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
