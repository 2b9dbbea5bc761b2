/** The pet store spec of the SUT, loaded through the real pipeline. */
import { resolve } from 'node:path';
import type { ApiIr } from '../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../cli/engine/pipeline.ts';

/** tests/fixtures/specs/sut/petstore.yaml */
export const PETSTORE_SPEC = resolve(import.meta.dirname, '../fixtures/specs/sut/petstore.yaml');

/** The pet store IR. */
export async function loadPetstoreIr(): Promise<ApiIr> {
  return (await prepareSpec(PETSTORE_SPEC)).ir;
}
