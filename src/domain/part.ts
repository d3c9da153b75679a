/**
 * Message content as the gateway keeps it: the A2A 1.0 `Part` shape (exactly one of text, raw bytes
 * as base64, url, or structured data), independent of the wire dialect a peer speaks.
 */
export type Part = (
  { readonly text: string } | { readonly raw: string } | { readonly url: string } | { readonly data: unknown }
) & {
  readonly mediaType?: string;
  readonly filename?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
};

/** What a client submits to a run, and each later input to a waiting run. */
export interface RunInput {
  readonly parts: readonly Part[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Plain text of the parts, joined; non-text parts are skipped. */
export function partsText(parts: readonly Part[]): string {
  return parts
    .map((p) => ('text' in p ? p.text : ''))
    .filter((t) => t !== '')
    .join('\n');
}
