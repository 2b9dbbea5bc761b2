/**
 * Whether the local Redis (127.0.0.1:6379, or REDIS_TEST_URL) answers, for suites with a Redis variant.
 * Under CI it must: .ci/run starts it, so a missing Redis fails there instead of skipping silently.
 */
import { connect } from 'node:net';

/** The Redis the tests use. */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** Resolves true when Redis answers PING within 1 s. */
export function redisAnswers(url: string = REDIS_TEST_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** True when Redis answers; throws under CI when it does not, so the Redis variants never skip there. */
export async function redisForTests(): Promise<boolean> {
  const up = await redisAnswers();
  if (!up && process.env.CI) {
    throw new Error(`Redis does not answer at ${REDIS_TEST_URL}; .ci/run starts it (redis-server).`);
  }
  return up;
}
