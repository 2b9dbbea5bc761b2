/** Human text for quota state, shared by `generate`, `login` and `whoami`. */
import type { Usage } from '../../shared/contracts.ts';
import { plural } from '../ui/plural.ts';

/** "Usage: free plan, 1 of 5 specs used this period (4 left)." */
export function describeQuota(usage: Pick<Usage, 'plan' | 'used' | 'limit' | 'remaining'>): string {
  const quota =
    usage.limit === null
      ? `${plural(usage.used, 'spec')} generated this period (unlimited)`
      : `${usage.used} of ${usage.limit} specs used this period (${usage.remaining ?? 0} left)`;
  return `Usage: ${usage.plan} plan, ${quota}.`;
}

/** The quota line plus whether this run was charged. */
export function describeUsage(
  usage: Pick<Usage, 'plan' | 'used' | 'limit' | 'remaining'> & { charged: boolean },
): string {
  const charge = usage.charged
    ? 'This run was charged (a new spec this period).'
    : 'This run was free (this spec was already charged this period).';
  return `${describeQuota(usage)} ${charge}`;
}
