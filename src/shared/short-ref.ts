// References as printed on 80 mm receipts (~42 monospace characters a line, "Transaction" takes 12): ids up
// to 28 characters print whole; longer ones (UUID-sized) as "…" and their last 16, which never wraps. The
// printed end is what staff read back, and the history search matches it (`q`).

export const SHORT_REF_MAX = 28;
export const SHORT_REF_TAIL = 16;

export function shortRef(ref: string): string {
  return ref.length <= SHORT_REF_MAX ? ref : `…${ref.slice(-SHORT_REF_TAIL)}`;
}
