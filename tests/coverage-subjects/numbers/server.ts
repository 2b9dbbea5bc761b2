/** Numeric series: primes and factors, gcd/lcm, Fibonacci, Collatz, and integer classification. */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createSubjectServer } from '../common/subject-server.ts';

function factorise(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  while (rest % 2 === 0) {
    factors.push(2);
    rest /= 2;
  }
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) {
    factors.push(rest);
  }
  return factors;
}

function primeFactors(n: number) {
  const root = Math.round(Math.sqrt(n));
  const perfectSquare = root * root === n;
  if (n === 0) {
    return { kind: 'zero', prime: false, factors: [], perfectSquare };
  }
  if (n === 1) {
    return { kind: 'one', prime: false, factors: [], perfectSquare };
  }
  const factors = factorise(n);
  const prime = factors.length === 1;
  return { kind: prime ? 'prime' : 'composite', prime, factors, perfectSquare };
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function gcdLcm(a: number, b: number) {
  if (a === 0 && b === 0) {
    return { gcd: 0, lcm: 0, relation: 'both-zero' };
  }
  if (a === 0 || b === 0) {
    return { gcd: Math.abs(a + b), lcm: 0, relation: 'one-zero' };
  }
  const g = gcd(a, b);
  const lcm = (Math.abs(a) / g) * Math.abs(b);
  let relation: string;
  if (Math.abs(a) === Math.abs(b)) {
    relation = 'equal';
  } else if (g === Math.abs(a) || g === Math.abs(b)) {
    relation = 'divides';
  } else if (g === 1) {
    relation = 'coprime';
  } else {
    relation = 'common-factor';
  }
  return { gcd: g, lcm, relation };
}

function fibonacci(n: number) {
  if (n < 2) {
    return { value: n, even: n === 0 };
  }
  let [a, b] = [0, 1];
  for (let i = 2; i <= n; i++) [a, b] = [b, a + b];
  return { value: b, even: b % 2 === 0 };
}

function collatz(n: number, limit: number) {
  let steps = 0;
  let peak = n;
  let x = n;
  while (x !== 1) {
    if (steps >= limit) {
      return { steps, peak, reachedOne: false };
    }
    x = x % 2 === 0 ? x / 2 : 3 * x + 1;
    if (x > peak) {
      peak = x;
    }
    steps++;
  }
  return { steps, peak, reachedOne: true };
}

function divisorClass(n: number): string {
  if (n <= 0) {
    return 'none';
  }
  let sum = n === 1 ? 0 : 1;
  for (let d = 2; d * d <= n; d++) {
    if (n % d !== 0) {
      continue;
    }
    sum += d;
    const other = n / d;
    if (other !== d) {
      sum += other;
    }
  }
  if (sum === n) {
    return 'perfect';
  }
  return sum > n ? 'abundant' : 'deficient';
}

function classify(n: number, base: number) {
  const written = (n < 0 ? '-' : '') + Math.abs(n).toString(base);
  const digits = Math.abs(n).toString(base);
  return {
    sign: n < 0 ? 'negative' : n === 0 ? 'zero' : 'positive',
    parity: Math.abs(n) % 2 === 0 ? 'even' : 'odd',
    digits: digits.length,
    written,
    divisors: divisorClass(n),
    palindrome: digits.length > 1 && digits === [...digits].reverse().join(''),
  };
}

export function createSubject(): Server {
  return createSubjectServer(join(import.meta.dirname, 'openapi.yaml'), {
    primeFactors: ({ query }) => primeFactors(query.n as number),
    greatestCommonDivisor: ({ query }) => gcdLcm(query.a as number, query.b as number),
    fibonacci: ({ query }) => fibonacci(query.n as number),
    collatz: ({ query }) => collatz(query.n as number, (query.limit as number | undefined) ?? 1000),
    classifyNumber: ({ body }) => {
      const { n, base } = body as { n: number; base?: number };
      return classify(n, base ?? 10);
    },
  });
}
