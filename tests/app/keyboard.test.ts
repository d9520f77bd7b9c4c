import { describe, expect, it } from 'vitest';
import { modKeyFor } from '../../app/keyboard';

describe('modKeyFor', () => {
  it('names ⌘ on Apple systems, as navigator.platform and userAgentData report them', () => {
    for (const platform of ['MacIntel', 'macOS', 'iPhone', 'iPad', 'iPod touch', 'iOS']) expect(modKeyFor(platform), platform).toBe('⌘');
  });
  it('names Ctrl elsewhere, and when the platform is unknown', () => {
    for (const platform of ['Win32', 'Windows', 'Linux x86_64', 'Linux armv8l', 'Android', 'Chrome OS', 'CrOS', '']) expect(modKeyFor(platform), platform).toBe('Ctrl');
  });
});
