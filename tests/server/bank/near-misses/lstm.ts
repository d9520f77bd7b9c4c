/** Answers to the text items of lstm: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'lstm-cec-name': {
    right: ['Constant Error Carousel', 'constant error carousel', 'Constant Error Carrousel', 'the Constant Error Carousel', 'Constant-Error-Carousel', 'Constant Error Carousel（CEC）'],
    wrong: ['Constant Error Cell', 'Continuous Error Carousel', 'Constant Error Correction', 'Cell Error Carousel'],
  },
};
