import { Marked } from 'marked';
import markedKatex from 'marked-katex-extension';

/**
 * Markdown with $…$ / $$…$$ math to HTML, rendered on the server with KaTeX.
 * The bank is our own content, so the HTML is trusted; learner text is never passed through here.
 * nonStandard: Japanese prose puts `$x$` directly against other characters, with no spaces.
 */
function createRenderer(throwOnError: boolean): Marked {
  return new Marked({ gfm: true, async: false }).use(markedKatex({ throwOnError, nonStandard: true, output: 'html' }));
}

const strict = createRenderer(true);

export function renderMarkdown(markdown: string): string {
  return strict.parse(markdown) as string;
}

/** Inline Markdown (a choice's text): no surrounding <p>. */
export function renderInline(markdown: string): string {
  return strict.parseInline(markdown) as string;
}
