/**
 * A rendered format's files encoded as UTF-8, as the render helper thread hands them over (see
 * common/file-text.ts, {@link EncodedText}): all of a format's files in one buffer, transferred without a copy,
 * each file a view of it with its sha256. The bytes are those the writer would encode from the text.
 */
import { createHash } from 'node:crypto';
import type { FormatOutput } from '../ports.ts';
import { type EncodedText, isEncoded, textParts } from './common/file-text.ts';

/** Above this many bytes a format goes over as text (one buffer must fit in one allocation). */
const MAX_ENCODED_BYTES = 2 ** 30;

/** The output with its files' text encoded, and the buffer that holds them (to transfer), if encoded. */
export function encodeOutput(output: FormatOutput): { output: FormatOutput; buffer?: ArrayBuffer } {
  let bytes = 0;
  for (const file of output.files) {
    if (isEncoded(file.contents)) return { output };
    for (const part of textParts(file.contents)) bytes += Buffer.byteLength(part, 'utf8');
  }
  if (bytes > MAX_ENCODED_BYTES) return { output };
  const buffer = Buffer.allocUnsafeSlow(bytes);
  let offset = 0;
  const files = output.files.map((file) => {
    const start = offset;
    // Part by part, as the writer encodes them (a surrogate pair split between two parts is two U+FFFD).
    for (const part of textParts(file.contents)) offset += buffer.write(part, offset, 'utf8');
    const utf8 = new Uint8Array(buffer.buffer, buffer.byteOffset + start, offset - start);
    const contents: EncodedText = { utf8, sha256: createHash('sha256').update(utf8).digest('hex') };
    return { ...file, contents };
  });
  return { output: { ...output, files }, buffer: buffer.buffer as ArrayBuffer };
}
