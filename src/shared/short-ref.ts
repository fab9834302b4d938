// References as printed on 80 mm receipts (~42 monospace characters a line): UUID-sized ids never wrap.
// The end of a provider reference is what staff read back and what the history search matches (`q`).

export const SHORT_REF_TAIL = 12;

/** `ref` when it fits on a line; otherwise "…" and its last 12 characters. */
export function shortRef(ref: string): string {
  return ref.length <= SHORT_REF_TAIL + 4 ? ref : `…${ref.slice(-SHORT_REF_TAIL)}`;
}
