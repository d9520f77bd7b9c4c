/** Answers to the text items of detection: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'detection-aspp-term': {
    right: ['ASPP', 'aspp', 'Atrous Spatial Pyramid Pooling', 'ASPP（Atrous Spatial Pyramid Pooling）', 'atrous spatial pyramid pooling', 'ASPP モジュール'],
    wrong: ['SPP', 'Spatial Pyramid Pooling', 'FPN', 'PSP', 'Pyramid Pooling Module'],
  },
};
