'use client';

import { useSyncExternalStore } from 'react';

/** The modifier that goes with Enter in the editor's shortcuts (CodeMirror's `Mod`): ⌘ on Apple systems, Ctrl elsewhere. */
export type ModKey = '⌘' | 'Ctrl';

export function modKeyFor(platform: string): ModKey {
  // iPadOS reports "MacIntel"; userAgentData says "macOS" or "iOS".
  return /mac|iphone|ipad|ipod|ios/i.test(platform) ? '⌘' : 'Ctrl';
}

function clientPlatform(): string {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return data?.platform || navigator.platform || '';
}

const never = () => () => {};

/**
 * The modifier's name for this device. The server (and hydration) renders `Ctrl`; the browser's value follows
 * right after, without a hydration mismatch. Hints that use it carry the `kbd-hint` class, hidden where there is
 * no keyboard (globals.css).
 */
export function useModKey(): ModKey {
  return useSyncExternalStore(never, () => modKeyFor(clientPlatform()), () => 'Ctrl');
}

/** The modifier's name as text, for hints such as 「⌘+Enter で提出」. */
export function ModKeyName() {
  return useModKey();
}
