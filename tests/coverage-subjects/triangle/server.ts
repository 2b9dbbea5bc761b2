/**
 * Triangle classification: equilateral / isosceles (which two sides) / scalene, degenerate and impossible
 * triangles, the largest angle (acute, right, obtuse), and quadrilaterals by their sides.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createSubjectServer } from '../common/subject-server.ts';

interface Classification {
  kind: 'equilateral' | 'isosceles' | 'scalene' | 'degenerate' | 'invalid';
  angle?: 'acute' | 'right' | 'obtuse';
  perimeter?: number;
  area?: number;
}

/** Relative tolerance for comparing lengths computed from points. */
const EPSILON = 1e-9;

function same(x: number, y: number): boolean {
  return Math.abs(x - y) <= EPSILON * Math.max(1, Math.abs(x), Math.abs(y));
}

/** Heron's formula, in the numerically stable form for sorted sides a ≥ b ≥ c. */
function area(a: number, b: number, c: number): number {
  const product = (a + (b + c)) * (c - (a - b)) * (c + (a - b)) * (a + (b - c));
  return product <= 0 ? 0 : Math.sqrt(product) / 4;
}

export function classify(a: number, b: number, c: number): Classification {
  if (a === 0 || b === 0 || c === 0) {
    // A side of length zero: a segment or a point.
    return { kind: 'degenerate', perimeter: a + b + c, area: 0 };
  }
  const [x, y, z] = [a, b, c].sort((p, q) => q - p) as [number, number, number];
  if (y + z < x && !same(y + z, x)) {
    return { kind: 'invalid' };
  }
  if (same(y + z, x)) {
    return { kind: 'degenerate', perimeter: a + b + c, area: 0 };
  }
  let kind: Classification['kind'];
  if (same(a, b) && same(b, c)) {
    kind = 'equilateral';
  } else if (same(a, b) || same(b, c) || same(a, c)) {
    kind = 'isosceles';
  } else {
    kind = 'scalene';
  }
  const longest = x * x;
  const others = y * y + z * z;
  let angle: Classification['angle'];
  if (same(longest, others)) {
    angle = 'right';
  } else if (longest < others) {
    angle = 'acute';
  } else {
    angle = 'obtuse';
  }
  return { kind, angle, perimeter: a + b + c, area: area(x, y, z) };
}

interface Point {
  x: number;
  y: number;
}

function fromPoints(points: readonly Point[]): Classification {
  const [p, q, r] = points as [Point, Point, Point];
  const sides = [
    Math.hypot(p.x - q.x, p.y - q.y),
    Math.hypot(q.x - r.x, q.y - r.y),
    Math.hypot(p.x - r.x, p.y - r.y),
  ];
  const [a, b, c] = sides as [number, number, number];
  if (a === 0 || b === 0 || c === 0) {
    return { kind: 'degenerate', perimeter: a + b + c, area: 0 };
  }
  const cross = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
  // Collinear points span a segment: their sides satisfy a + b = c.
  if (cross === 0) {
    return { kind: 'degenerate', perimeter: a + b + c, area: 0 };
  }
  return { ...classify(a, b, c), area: Math.abs(cross) / 2 };
}

type Quadrilateral =
  | 'square'
  | 'rectangle'
  | 'rhombus'
  | 'kite'
  | 'parallelogram'
  | 'irregular'
  | 'impossible';

function quadrilateral(sides: [number, number, number, number], rightAngles: boolean): Quadrilateral {
  const [a, b, c, d] = sides;
  const longest = Math.max(...sides);
  if (longest * 2 >= a + b + c + d) {
    return 'impossible';
  }
  const opposite = a === c && b === d;
  if (a === b && b === c && c === d) {
    return rightAngles ? 'square' : 'rhombus';
  }
  if (opposite) {
    return rightAngles ? 'rectangle' : 'parallelogram';
  }
  if (rightAngles) {
    return 'impossible';
  }
  if ((a === b && c === d) || (b === c && d === a)) {
    return 'kite';
  }
  return 'irregular';
}

export function createSubject(): Server {
  return createSubjectServer(join(import.meta.dirname, 'openapi.yaml'), {
    classifyTriangle: ({ query }) => classify(query.a as number, query.b as number, query.c as number),
    triangleFromPoints: ({ body }) => fromPoints((body as { points: Point[] }).points),
    classifyQuadrilateral: ({ query }) => {
      const sides: [number, number, number, number] = [
        query.a as number,
        query.b as number,
        query.c as number,
        query.d as number,
      ];
      return {
        kind: quadrilateral(sides, query.rightAngles === true),
        perimeter: sides.reduce((s, x) => s + x, 0),
      };
    },
  });
}
