/**
 * Decodes Stripe's request encoding (`application/x-www-form-urlencoded` with bracketed keys:
 * `line_items[0][price]=price_x&metadata[userId]=u1`) into nested values, the way Stripe's API reads it.
 */

/** A decoded parameter value. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

function keyPath(key: string): string[] {
  const head = key.match(/^[^[]+/)?.[0];
  if (head === undefined) throw new Error(`malformed parameter name ${key}`);
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? '');
  return [head, ...rest];
}

function toArrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((key) => [key, toArrays(value[key]!)]));
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key]!);
  }
  return converted;
}

/** Parses a form body or query string into nested objects and arrays. Throws on malformed names. */
export function parseStripeForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = keyPath(key);
    let node: Record<string, FormValue> = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[segment] = {};
      node = node[segment] as Record<string, FormValue>;
    });
  }
  return toArrays(root) as Record<string, FormValue>;
}
