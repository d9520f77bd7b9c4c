/** Answers to the text items of applied-models: right spellings that must be accepted, near-misses that must not. */
// The chapter has no text item yet; add an entry here with each new one.
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {};
