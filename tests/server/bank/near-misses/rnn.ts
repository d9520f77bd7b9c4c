/** Answers to the text items of rnn: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'cnn-output-size': {
    right: ['3×3', '3 × 3', '3x3', '3', '３×３', '3 x 3'],
    wrong: ['2×2', '5×5', '4×4', '2'],
  },
};
