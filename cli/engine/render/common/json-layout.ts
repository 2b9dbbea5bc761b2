/**
 * JSON laid out for people, as Prettier lays it out: an object or array that fits in the line's remaining
 * width stays on one line (`{ "mode": "valid", "schemes": [] }`), anything longer puts one member per line,
 * indented by two spaces. The text is JSON (what `JSON.parse` reads back is the value), deterministic, and
 * about half as many lines as `JSON.stringify(value, null, 2)` for the small records scripts carry.
 */

/** Options of {@link layoutJson}. */
export interface JsonLayoutOptions {
  /** Columns a line may take. @default 100 */
  width?: number;
  /** Columns already taken on the first line (text before the value). @default 0 */
  column?: number;
}

/**
 * `value` as laid-out JSON. Values must be JSON data (plain objects and arrays, no `toJSON`); members
 * `JSON.stringify` leaves out (undefined, functions) are left out here too.
 */
export function layoutJson(value: unknown, options: JsonLayoutOptions = {}): string {
  const width = options.width ?? 100;
  return layout(value, '', width - (options.column ?? 0), width);
}

/** Whether JSON.stringify leaves an object member out. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * The one-line form of a value when it is at most `budget` characters long, else `undefined` — found without
 * building much more than `budget` characters, however large the value.
 */
function flat(value: unknown, budget: number): string | undefined {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) ?? 'null';
    return text.length <= budget ? text : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item = flat(omitted(value[i]) ? null : value[i], budget - text.length - 3);
      if (item === undefined) return undefined;
      text += (i > 0 ? ', ' : '') + item;
    }
    text += ']';
    return text.length <= budget ? text : undefined;
  }
  const record = value as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(record)) {
    if (omitted(record[key])) continue;
    const lead = `${text === '' ? '{ ' : ', '}${JSON.stringify(key)}: `;
    const item = flat(record[key], budget - text.length - lead.length - 2);
    if (item === undefined) return undefined;
    text += lead + item;
  }
  if (text === '') return '{}';
  text += ' }';
  return text.length <= budget ? text : undefined;
}

function layout(value: unknown, pad: string, budget: number, width: number): string {
  const single = flat(value, budget);
  if (single !== undefined) return single;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${pad}  `;
  // Each member on its own line; a member's budget is the width less its indent, key and trailing comma.
  if (Array.isArray(value)) {
    const items = value.map(
      (item) => `${inner}${layout(omitted(item) ? null : item, inner, width - inner.length - 1, width)}`,
    );
    return `[\n${items.join(',\n')}\n${pad}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record)) {
    if (omitted(record[key])) continue;
    const lead = `${inner}${JSON.stringify(key)}: `;
    members.push(lead + layout(record[key], inner, width - lead.length - 1, width));
  }
  return `{\n${members.join(',\n')}\n${pad}}`;
}
