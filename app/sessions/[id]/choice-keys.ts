/**
 * Keyboard picks for choices. Choices are labelled by their ids (a, b, c…, as the 解説 names them):
 * a letter key picks that choice, and a digit 1–9 still picks the n-th one.
 */
export function choiceIdForKey(key: string, choices: readonly { id: string }[]): string | undefined {
  if (/^[1-9]$/.test(key)) return choices[Number(key) - 1]?.id;
  if (/^[a-iA-I]$/.test(key)) return choices.find((c) => c.id === key.toLowerCase())?.id;
  return undefined;
}

/** What the hints say about picking, e.g. 「a〜e（または 1〜5）」 for five choices. */
export function choiceKeysHint(choices: readonly { id: string }[] | null | undefined): string {
  if (!choices || choices.length === 0) return 'a〜i（または 1〜9）';
  const last = choices.at(-1)!.id;
  return `a〜${last}（または 1〜${choices.length}）`;
}
