// Keeps a focused text field consistent while the wedge detector decides what a key burst is: the first
// keys of a scan reach the field before the timing can tell (they are taken back), and fast keys that
// turn out to be a person typing are given back where the caret was.

type TextField = HTMLInputElement | HTMLTextAreaElement;

interface Snapshot {
  el: TextField;
  value: string;
  start: number | null;
  end: number | null;
}

function isTextField(el: Element | null): el is TextField {
  if (!el) return false;
  const tag = el.tagName;
  return (
    tag === 'TEXTAREA' ||
    (tag === 'INPUT' &&
      !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes((el as HTMLInputElement).type))
  );
}

function selection(el: TextField): [number | null, number | null] {
  try {
    return [el.selectionStart, el.selectionEnd];
  } catch {
    return [null, null]; // type=number/email have no selection API
  }
}

function notify(el: TextField) {
  // Frameworks (Svelte bind:value) listen for input events, not for value assignments.
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export interface FieldGuard {
  snapshot(): void;
  revert(): void;
  giveBack(text: string): void;
}

export function bindFieldGuard(target: Window | Document): FieldGuard {
  const doc: Document | undefined = 'activeElement' in target ? target : target.document;
  let snap: Snapshot | null = null;
  return {
    snapshot() {
      const el = doc?.activeElement ?? null;
      if (!isTextField(el)) {
        snap = null;
        return;
      }
      const [start, end] = selection(el);
      snap = { el, value: el.value, start, end };
    },
    revert() {
      if (!snap || snap.el.value === snap.value) return;
      snap.el.value = snap.value;
      if (snap.start !== null && snap.end !== null) snap.el.setSelectionRange(snap.start, snap.end);
      notify(snap.el);
    },
    giveBack(text: string) {
      if (!snap || !snap.el.isConnected) return;
      const { el, value, start, end } = snap;
      if (start !== null && end !== null) {
        el.value = value;
        el.setRangeText(text, start, end, 'end');
      } else {
        el.value = value + text;
      }
      notify(el);
      const [s, e] = selection(el);
      snap = { el, value: el.value, start: s, end: e };
    },
  };
}
