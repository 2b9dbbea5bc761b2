/**
 * The plan table of DESIGN.md — the one and only copy of these numbers. The server, the CLI and the
 * pages all read it from here.
 */

/** Every output format SpecMint can render. */
export const FORMATS = ['pytest', 'vitest', 'jest', 'postman', 'k6', 'playwright', 'sql', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const PLAN_IDS = ['free', 'pro', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface PlanDefinition {
  id: PlanId;
  name: string;
  /** Monthly price in US cents. */
  priceCents: number;
  /** Distinct specs generated per billing period; `null` = unlimited. */
  generationsPerPeriod: number | null;
  /** Formats the plan may render. */
  formats: readonly Format[];
  /** AI-enhanced cases with the user's own OpenAI/Anthropic key. */
  ai: boolean;
  /** Custom AI models and endpoints (`--ai-model`, `--ai-base-url`). */
  customAiModels: boolean;
  /** White-label output (own header/branding). */
  whiteLabel: boolean;
  /** CI tokens the account may hold at once; `null` = unlimited. */
  ciTokens: number | null;
}

export const PLANS = {
  free: {
    id: 'free',
    name: 'Free',
    priceCents: 0,
    generationsPerPeriod: 5,
    formats: ['pytest', 'vitest', 'jest', 'postman', 'json'],
    ai: false,
    customAiModels: false,
    whiteLabel: false,
    ciTokens: 1,
  },
  pro: {
    id: 'pro',
    name: 'Pro',
    priceCents: 2900,
    generationsPerPeriod: 100,
    formats: FORMATS,
    ai: true,
    customAiModels: false,
    whiteLabel: false,
    ciTokens: 10,
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    priceCents: 9900,
    generationsPerPeriod: null,
    formats: FORMATS,
    ai: true,
    customAiModels: true,
    whiteLabel: true,
    ciTokens: null,
  },
} as const satisfies Record<PlanId, PlanDefinition>;

/** True when `plan` may render `format`. */
export function planAllowsFormat(plan: PlanId, format: Format): boolean {
  return (PLANS[plan].formats as readonly Format[]).includes(format);
}

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === 'string' && (PLAN_IDS as readonly string[]).includes(value);
}
