/** A stand-in for `k6/encoding`. */
export function b64encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export default { b64encode };
