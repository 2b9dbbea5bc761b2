import type { Plugin } from 'esbuild';

/** Replaces each `readRuntimeFile(import.meta.url, '<path>')` call in render/ with the file's text. */
export const embedRuntimeFiles: Plugin;
