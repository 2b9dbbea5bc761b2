/** An entry of the domain dictionary, and the shorthand the dictionary files write entries with. */

/** One kind of input. */
export interface DomainEntry {
  /** Key fragment: entry `date` and value `iso` give the class key `domain_date_iso`. */
  id: string;
  /** Names that select the entry, as lower-case words (`postal code` matches `postalCode`, `postal_code`). */
  names: readonly string[];
  /** Phrases that select the entry when they appear in the input's description (lower case, whole words). */
  phrases: readonly string[];
  /** Values in order of preference: [value key, value]. */
  values: ReadonlyArray<readonly [string, unknown]>;
}

export type Values = ReadonlyArray<readonly [string, unknown]>;

export const entry = (id: string, names: string, values: Values, phrases = ''): DomainEntry => ({
  id,
  names: names.split(',').map((n) => n.trim()),
  phrases: phrases === '' ? [] : phrases.split(',').map((p) => p.trim()),
  values,
});
