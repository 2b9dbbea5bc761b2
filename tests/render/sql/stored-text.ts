/** What each SQL dialect stores for an odd string (tests only). */
import type { SqlDialect } from '../../../cli/engine/render/sql/dialects.ts';

/** PostgreSQL cannot hold NUL; no dialect can hold lone surrogates: both become U+FFFD. */
export function storedText(text: string, dialect: SqlDialect): string {
  const wellFormed = text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return dialect === 'postgres' ? wellFormed.replace(/\0/g, '\uFFFD') : wellFormed;
}
