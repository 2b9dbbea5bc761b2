/**
 * The declared responses of a plan operation in the form the generated contracts carry them: status and
 * media types, with each body schema converted for the target (draft-07, `$id`-free, `$ref`s rewritten).
 */
import type { JsonSchema } from '../../ir/types.ts';
import type { PlanResponse } from '../../plan/types.ts';

/** A response with its contents' schemas converted; contents without a schema stay schema-less. */
export interface ConvertedResponse<S> {
  status: string;
  contents: Array<{ mediaType: string; schema?: S }>;
}

/** `responses` with every body schema passed through `convert`. */
export function convertResponses<S>(
  responses: readonly PlanResponse[],
  convert: (schema: JsonSchema) => S,
): Array<ConvertedResponse<S>> {
  return responses.map((response) => ({
    status: response.status,
    contents: response.contents.map((content) =>
      content.schema === undefined
        ? { mediaType: content.mediaType }
        : { mediaType: content.mediaType, schema: convert(content.schema) },
    ),
  }));
}
