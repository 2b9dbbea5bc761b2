/**
 * A device-login user code as people read it: `2BLGJ3EY` → `2BLG-J3EY`, the way the approval page shows
 * it (and `gh auth login` prints its codes). The server accepts it with or without the hyphen.
 */
export function groupUserCode(code: string): string {
  const plain = code.replace(/[^a-zA-Z0-9]/g, '').toUpperCase();
  if (plain.length < 6) return plain;
  const half = Math.ceil(plain.length / 2);
  return `${plain.slice(0, half)}-${plain.slice(half)}`;
}
