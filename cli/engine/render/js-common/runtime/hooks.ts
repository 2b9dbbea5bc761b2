/**
 * Stand-in for the user's hooks file every generated suite has beside its runtime (js-common/hooks-file.ts
 * writes the real one, once): it lets the runtime type-check here. Never shipped.
 */
export {};
