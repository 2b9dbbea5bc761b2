/**
 * Runs the generated playwright suite for real: all tests pass against the pet store SUT, and at least one fails
 * against each seeded fault. See tests/render/js/e2e-suite.ts.
 */
import { defineRunForReal } from '../render/js/e2e-suite.ts';

defineRunForReal('playwright');
