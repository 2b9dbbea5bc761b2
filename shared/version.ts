import pkg from '../package.json' with { type: 'json' };

/** The SpecMint version (package.json), bundled into dist/ at build time. */
export const SPECMINT_VERSION: string = pkg.version;
