import type { FrontMatter } from './schema';

/** A loaded question: its front matter, its Markdown, and the HTML rendered once at load. */
export type Question = FrontMatter & {
  /** path relative to questions/ */
  file: string;
  /** sha256 (16 hex) of the whole file: stored with each answer */
  contentHash: string;
  prompt: string;
  explanation: string;
  html: {
    prompt: string;
    explanation: string;
    /** choice id → inline HTML */
    choices: Record<string, string>;
    modelAnswer?: string;
  };
};
