/**
 * A rendered format's files encoded as UTF-8, as the render helper thread hands them over (see
 * common/file-text.ts, {@link EncodedText}): the format's text files in one buffer, transferred without a copy,
 * each file a view of it with its sha256. The bytes are those the writer would encode from the text.
 */
import { createHash } from 'node:crypto';
import type { FormatOutput } from '../ports.ts';
import { type EncodedText, isEncoded, textParts } from './common/file-text.ts';

/** Above this many bytes a format's text goes over as text (one buffer must fit in one allocation). */
const MAX_ENCODED_BYTES = 2 ** 30;

/**
 * The output with its files' text encoded, and the buffers that hold its bytes (to transfer). A file that is
 * already encoded (pretty JSON too large for the heap) stays as it is, its chunks transferred with the rest.
 */
export function encodeOutput(output: FormatOutput): { output: FormatOutput; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  let bytes = 0;
  for (const file of output.files) {
    if (!isEncoded(file.contents)) {
      for (const part of textParts(file.contents)) bytes += Buffer.byteLength(part, 'utf8');
      continue;
    }
    // Only a chunk that is its whole buffer moves (a view of a shared one would take the rest with it).
    for (const chunk of file.contents.chunks)
      if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength)
        transfer.push(chunk.buffer as ArrayBuffer);
  }
  if (bytes > MAX_ENCODED_BYTES) return { output, transfer };
  const buffer = Buffer.allocUnsafeSlow(bytes);
  transfer.push(buffer.buffer as ArrayBuffer);
  let offset = 0;
  const files = output.files.map((file) => {
    if (isEncoded(file.contents)) return file;
    const start = offset;
    // Part by part, as the writer encodes them (a surrogate pair split between two parts is two U+FFFD).
    for (const part of textParts(file.contents)) offset += buffer.write(part, offset, 'utf8');
    const utf8 = new Uint8Array(buffer.buffer, buffer.byteOffset + start, offset - start);
    const contents: EncodedText = { chunks: [utf8], sha256: createHash('sha256').update(utf8).digest('hex') };
    return { ...file, contents };
  });
  return { output: { ...output, files }, transfer };
}
