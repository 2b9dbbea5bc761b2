/** "1 spec", "2 specs": a count with its noun (nouns that take a plain -s). */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
