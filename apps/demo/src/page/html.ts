import type { Route } from '../route.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Makes text safe inside HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => escapes[char]!);
}

/** The route catalogue as list items: a link to each example and its one-line summary. */
export function renderCatalogue(routes: readonly Pick<Route, 'example' | 'summary'>[]): string {
  return routes
    .map(({ example, summary }) => `<li><a href="${escapeHtml(example)}"><code>${escapeHtml(example)}</code></a> ${escapeHtml(summary)}</li>`)
    .join('\n        ');
}

/** Fills each `{{name}}` of the template with an HTML string; an unknown name is a bug, so it throws. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`index.html: no value for {{${name}}}`);
    return value;
  });
}
