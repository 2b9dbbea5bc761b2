/**
 * Setup steps that create a resource send values of their own in every case. Servers commonly keep some
 * properties unique (a warehouse `code`, a `username`, an `email`, a `slug`), often saying so only in prose,
 * and refuse a second resource with the same value (a 409 the spec may well declare): a setup step that sent
 * the same body in every case would create its resource once, and every later case would fail to capture its
 * id. So each case's setup steps send their own values for the text that names the resource (by its name:
 * `name`, `code`, `slug`, `email`…, or a description that says it is unique; a property the answer shows on
 * the resource made, not one naming something else the request acts on): a string with a pattern is made
 * again from the pattern, a free one gets a short suffix, an email address a tag in its local part, a UUID is
 * made anew. Other text (a branch to start from, a prompt) is sent as made.
 * The variants are drawn from the case's own random stream: the output stays deterministic. Each step lists the
 * text it made up (`unique`: the suffix, the tag, the UUID, a pattern's value whose every renaming stays valid)
 * and the runtimes send it renamed in each run (unique-rename.ts), so that a second run against a server that
 * kept the first one's resources makes new ones too.
 */
import { conforms } from '../data/check.ts';
import { formatValue } from '../data/formats.ts';
import type { Rng } from '../data/rng.ts';
import { synthesizeValid } from '../data/synthesize.ts';
import { randomAlnum } from '../data/words.ts';
import type { IrOperation, JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import type { PlanContext } from './operation-context.ts';
import { pickBodyMedia } from './request-builder.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import { successJsonResponse } from './statuses.ts';
import type { TestStep, UniqueText } from './types.ts';
import { renamedText } from './unique-rename.ts';

/** Formats whose values are not identities a server would keep unique (dates, times, addresses of things). */
const KEPT_FORMATS = new Set(['date', 'date-time', 'time', 'duration', 'byte', 'binary', 'password']);

/**
 * Names of properties a server may keep unique: the resource's own name, code, key or address. Other text (a
 * branch to start from, a prompt, an id that refers to something that must exist) is sent as made: changing
 * it could make it name nothing.
 */
const IDENTITY_NAME =
  /(^|[^a-z])(name|code|sku|slug|key|username|login|handle|e?mail|title|label|identifier|serial)$|[a-z0-9](Name|Code|Sku|SKU|Slug|Key|Handle|Email|Mail|Title|Label|Identifier|Serial)$/;
/** Descriptions that say a value must be unique. */
const UNIQUE_WORDS = /\b(unique|distinct|must not (already )?exist|already (in use|taken|exists))\b/i;

/** Operations by id, once per planning run. */
const operationsById = new WeakMap<PlanContext, Map<string, IrOperation>>();

function operationOf(ctx: PlanContext, id: string): IrOperation | undefined {
  let byId = operationsById.get(ctx);
  if (!byId) {
    byId = new Map(ctx.ir.operations.map((op) => [op.id, op]));
    operationsById.set(ctx, byId);
  }
  return byId.get(id);
}

/** Renamings tried on a pattern's value before its runs may rename it (each must stay valid). */
const RENAMINGS_TRIED = 16;

/**
 * Another value of `schema` for a string property holding `value`, with the text in it a runtime renames in
 * each run (`unique`), or undefined to keep the value.
 */
function variant(
  ctx: PlanContext,
  schema: JsonSchema,
  resolved: JsonSchemaObject,
  value: string,
  rng: Rng,
): { value: string; unique?: UniqueText } | undefined {
  if (resolved.enum !== undefined || resolved.const !== undefined) return undefined;
  const format = typeof resolved.format === 'string' ? resolved.format : undefined;
  if (format !== undefined && KEPT_FORMATS.has(format)) return undefined;
  if (format === 'uuid') {
    const made = formatValue('uuid', rng);
    return typeof made === 'string' ? { value: made, unique: { text: made, shape: 'uuid' } } : undefined;
  }
  const max = typeof resolved.maxLength === 'number' ? resolved.maxLength : Number.POSITIVE_INFINITY;
  const suffix = randomAlnum(rng, 6).toLowerCase();
  const tag: UniqueText = { text: suffix, shape: 'classes' };
  if (format === 'email' || format === 'idn-email') {
    const at = value.lastIndexOf('@');
    return at > 0 && at + 7 <= 64 && value.length + 7 <= max
      ? { value: `${value.slice(0, at)}.${suffix}${value.slice(at)}`, unique: tag }
      : undefined;
  }
  if (typeof resolved.pattern === 'string' || format !== undefined) {
    // Not the schema's example (the value the body already holds, often): another value of the pattern, the
    // longest of a few (`^[A-Z]{2,6}$` has 676 values of two letters: cases would soon share one).
    let made: string | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const stream = attempt === 0 ? rng : rng.fork(`attempt:${attempt}`);
      const synth = { schemas: ctx.ir.schemas, rng: stream, view: 'request' as const, useExamples: false };
      const candidate = synthesizeValid(resolved, synth);
      if (typeof candidate === 'string' && candidate !== value && candidate.length > (made?.length ?? -1))
        made = candidate;
    }
    if (made === undefined) return undefined;
    // Renamed only when it has letters or digits to rename and every renaming tried is still a value of the
    // schema (`^[A-Z]{3}[0-9]{2}$`, not `^SKU-[0-9]{4}$`, whose letters are fixed).
    const unique: UniqueText = { text: made, shape: 'classes' };
    const env = { schemas: ctx.ir.schemas, view: 'request' as const };
    const salts = rng.fork('renamings');
    const renamable =
      renamedText(unique, 'x') !== made &&
      Array.from({ length: RENAMINGS_TRIED }, () => randomAlnum(salts, 8)).every((salt) =>
        conforms(schema, renamedText(unique, salt), env),
      );
    return renamable ? { value: made, unique } : { value: made };
  }
  if (max < 7) return undefined;
  const kept = value.length + 7 <= max ? value : value.slice(0, max - 7);
  return { value: `${kept}-${suffix}`, unique: tag };
}

/** The top-level properties of an operation's JSON body that may hold text to vary, by operation. */
const textPropertiesOf = new WeakMap<
  IrOperation,
  Map<string, { schema: JsonSchema; resolved: JsonSchemaObject }>
>();

function textProperties(ctx: PlanContext, op: IrOperation) {
  let found = textPropertiesOf.get(op);
  if (!found) {
    found = new Map();
    const picked = pickBodyMedia(op);
    const properties = picked?.kind === 'json' ? objectProperties(ctx.ir, picked.media.schema) : {};
    // Only what the step's answer shows as a property of what it made: a value that names the resource itself
    // (a team's `name`), not one that names something else the request acts on (the `username` of a member).
    const made = objectProperties(ctx.ir, successJsonResponse(op)?.media?.schema);
    for (const [name, schema] of Object.entries(properties)) {
      if (!Object.hasOwn(made, name)) continue;
      const resolved = resolveSchema(ctx.ir, schema);
      if (
        !resolved ||
        resolved.readOnly === true ||
        resolved.enum !== undefined ||
        resolved.const !== undefined
      )
        continue;
      if (resolved.type !== undefined && resolved.type !== 'string') continue;
      const described = typeof resolved.description === 'string' && UNIQUE_WORDS.test(resolved.description);
      if (!described && !IDENTITY_NAME.test(name)) continue;
      found.set(name, { schema, resolved });
    }
    textPropertiesOf.set(op, found);
  }
  return found;
}

/** The JSON object body of `step` with its text values varied (see the file comment). */
function variedBody(ctx: PlanContext, step: TestStep, stream: () => Rng): TestStep {
  const value = step.body?.value;
  if (step.body?.kind !== 'json' || value === null || typeof value !== 'object' || Array.isArray(value))
    return step;
  const op = operationOf(ctx, step.operationId);
  const properties = op ? textProperties(ctx, op) : undefined;
  if (!properties || properties.size === 0) return step;
  const env = { schemas: ctx.ir.schemas, view: 'request' as const };
  let out: Record<string, unknown> | undefined;
  let rng: Rng | undefined;
  const unique: UniqueText[] = [];
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const property = properties.get(name);
    if (typeof item !== 'string' || !property) continue;
    rng ??= stream();
    const made = variant(ctx, property.schema, property.resolved, item, rng.fork(name));
    if (made === undefined || made.value === item || !conforms(property.schema, made.value, env)) continue;
    out ??= { ...(value as Record<string, unknown>) };
    out[name] = made.value;
    if (made.unique) unique.push(made.unique);
  }
  if (!out) return step;
  return { ...step, body: { ...step.body, value: out }, ...(unique.length > 0 ? { unique } : {}) };
}

/**
 * `steps` (those that prepare a case: setup steps, the creating call of a flow) with their JSON bodies' text
 * values varied from the case's stream (`stream` makes it), each step with a stream of its own.
 */
export function uniqueSetup(ctx: PlanContext, steps: readonly TestStep[], stream: () => Rng): TestStep[] {
  // The streams are made only for a step with something to vary: forking costs a hash, and most cases of a
  // large spec have setup steps with nothing to vary.
  let rng: Rng | undefined;
  return steps.map((step, index) =>
    variedBody(ctx, step, () => {
      rng ??= stream();
      return rng.fork(`setup:${index}`);
    }),
  );
}
