// Payment codes in what we keep (issue 9). A customer's wallet code is a bearer credential until used, so a
// provider payload we store for audit keeps only its masked form — maskCode, as payments.code_masked has it.
// Pure and provider-neutral: which keys carry a code is each provider module's declaration
// (ProviderModule.paymentCodeFields); the payment's code_masked is a second net for a code echoed where no
// declared key says so. Works on values (objects, arrays) and on text: JSON, form-encoded bodies, and such
// text nested as a string inside either.
import { maskCode } from './reference.ts';

export interface CodeMaskRules {
  /** Keys whose values are payment codes wherever they appear (matched case-insensitively). */
  fields: readonly string[];
  /** code_masked of the payment concerned: any letters-and-digits run that masks to it is taken for the
   *  code itself (which we never store, so this is how an echo of it is recognised). */
  maskedCodes?: readonly (string | null)[];
}

/** Containers nested deeper than this (counting text parsed inside text) are not walked: they are replaced
 *  by TOO_DEEP, so a pathological payload neither exhausts the stack nor slips through unchecked.
 *  Provider payloads are under ten levels deep. */
export const MAX_DEPTH = 32;
export const TOO_DEEP = '[not kept: nested too deep]';

// Wallet codes are 12+ characters (src/shared/classify.ts). Shorter values under a code key are masked where
// they stand but not searched for elsewhere, where they would match unrelated text.
const MIN_SEARCHED = 9;

type Form = [string, string][];
type Structured = { kind: 'json'; value: unknown } | { kind: 'form'; pairs: Form };

const FORM = /^[^&=\s]+=[^&\s]*(?:&[^&=\s]+=[^&\s]*)*$/;

function decodeForm(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function looksJson(s: string): boolean {
  const first = s.trimStart()[0];
  return first === '{' || first === '[';
}

function looksStructured(s: string): boolean {
  return looksJson(s) || FORM.test(s);
}

/** JSON objects/arrays and x-www-form-urlencoded bodies; anything else is plain text. */
function parseStructured(s: string): Structured | null {
  if (looksJson(s)) {
    try {
      return { kind: 'json', value: JSON.parse(s) };
    } catch {
      return null;
    }
  }
  if (!FORM.test(s)) return null;
  return {
    kind: 'form',
    pairs: s.split('&').map((seg) => {
      const i = seg.indexOf('=');
      return [decodeForm(seg.slice(0, i)), decodeForm(seg.slice(i + 1))];
    }),
  };
}

/** The ways a value is spelled inside text we keep: as is, inside a JSON string, URL- and form-encoded. */
const SPELLINGS: ((s: string) => string)[] = [
  (s) => s,
  (s) => JSON.stringify(s).slice(1, -1),
  encodeURIComponent,
  (s) => new URLSearchParams({ v: s }).toString().slice(2),
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A run of letters and digits that masks to `masked` (only masks that hide something: longer than 8). */
function echoPattern(masked: string): RegExp | null {
  if (masked.length <= 8 || !/^\*+$/.test(masked.slice(4, -4))) return null;
  const hidden = masked.length - 8;
  return new RegExp(
    `(?<![A-Za-z0-9])${escapeRegExp(masked.slice(0, 4))}[A-Za-z0-9]{${hidden}}${escapeRegExp(masked.slice(-4))}(?![A-Za-z0-9])`,
    'g',
  );
}

/** Provider payloads are JSON data; anything else (class instances, toJSON) is seen as JSON would store it. */
function plain(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? value : JSON.parse(text);
  } catch {
    // Cyclic or BigInt: walked as it is; the depth bound cuts a cycle.
    return value;
  }
}

class Masker {
  private readonly keys: Set<string>;
  private readonly echoes: RegExp[];
  /** Set by collect when it met something it did not look into (deeper than MAX_DEPTH). */
  private cutOff = false;

  constructor(rules: CodeMaskRules) {
    this.keys = new Set(rules.fields.map((f) => f.toLowerCase()));
    this.echoes = (rules.maskedCodes ?? []).flatMap((m) => (m ? [echoPattern(m)] : [])).filter((r): r is RegExp => r !== null);
  }

  private isCode(key: string, value: unknown): value is string | number {
    return (typeof value === 'string' || typeof value === 'number') && this.keys.has(key.toLowerCase());
  }

  /** Pass 1: every code in `v` not masked yet — under a code key, or an echo of the payment's code. */
  collect(v: unknown, depth: number, found: Set<string>): void {
    if (typeof v === 'string') return this.collectText(v, depth, found);
    if (!v || typeof v !== 'object') return;
    if (depth > MAX_DEPTH) {
      this.cutOff = true;
      return;
    }
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x) => ['', x]) : Object.entries(v);
    for (const [k, x] of entries) {
      if (this.isCode(k, x)) {
        const s = String(x);
        if (maskCode(s) !== s) found.add(s);
      } else {
        this.collect(x, depth + 1, found);
      }
    }
  }

  private collectText(s: string, depth: number, found: Set<string>): void {
    for (const re of this.echoes) for (const m of s.matchAll(re)) found.add(m[0]);
    if (depth >= MAX_DEPTH) {
      if (looksStructured(s)) this.cutOff = true;
      return;
    }
    const parsed = parseStructured(s);
    if (parsed) this.collectStructured(parsed, depth + 1, found);
  }

  private collectStructured(parsed: Structured, depth: number, found: Set<string>): void {
    if (parsed.kind === 'json') return this.collect(parsed.value, depth, found);
    // Pairs, not an object: a repeated field must not hide its first value.
    for (const [k, x] of parsed.pairs) {
      if (this.isCode(k, x)) {
        if (maskCode(x) !== x) found.add(x);
      } else {
        this.collectText(x, depth, found);
      }
    }
  }

  /** Pass 2: the value with every code masked: under code keys in place, and every other occurrence of a
   *  code found in pass 1 (an echo in a field nobody declared) wherever it is spelled. */
  rewrite(v: unknown, depth: number, codes: Replacements): unknown {
    if (typeof v === 'string') return this.rewriteText(v, depth, codes);
    if (!v || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH) return TOO_DEEP;
    if (Array.isArray(v)) return v.map((x) => this.rewrite(x, depth + 1, codes));
    // fromEntries: a key named __proto__ stays data, as JSON.parse made it.
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, this.isCode(k, x) ? maskCode(String(x)) : this.rewrite(x, depth + 1, codes)]),
    );
  }

  rewriteText(s: string, depth: number, codes: Replacements): string {
    let out = s;
    for (const [from, to] of codes) if (out.includes(from)) out = out.split(from).join(to);
    // Structured text this deep is not parsed to be checked, so it is not kept either.
    if (depth >= MAX_DEPTH) return looksStructured(out) ? TOO_DEEP : out;
    // Text replacement keeps every other byte as received. Should the code be spelled some other way in a
    // body (e.g. \u escapes), the structure is masked and written out again instead.
    const parsed = parseStructured(out);
    if (!parsed || this.isClean(parsed, depth + 1)) return out;
    if (parsed.kind === 'json') return JSON.stringify(this.rewrite(parsed.value, depth + 1, codes));
    return parsed.pairs
      .map(
        ([k, x]) =>
          `${encodeURIComponent(k)}=${encodeURIComponent(this.isCode(k, x) ? maskCode(x) : this.rewriteText(x, depth + 1, codes))}`,
      )
      .join('&');
  }

  private isClean(parsed: Structured, depth: number): boolean {
    const left = new Set<string>();
    this.cutOff = false;
    this.collectStructured(parsed, depth, left);
    return left.size === 0 && !this.cutOff;
  }
}

/** Each code found, in each of its spellings, with what replaces it. */
type Replacements = readonly (readonly [string, string])[];

function replacements(found: Set<string>): Replacements {
  const out = new Map<string, string>();
  // Longest first, so a code that contains another is replaced whole.
  for (const code of [...found].filter((c) => c.length >= MIN_SEARCHED).sort((a, b) => b.length - a.length)) {
    for (const spell of SPELLINGS) if (!out.has(spell(code))) out.set(spell(code), spell(maskCode(code)));
  }
  return [...out];
}

/** A JSON-able value (a provider's answer, an error's detail) with every payment code in it masked. Deeper
 *  than MAX_DEPTH, containers are replaced by TOO_DEEP. undefined stays undefined. */
export function maskPaymentCodes(value: unknown, rules: CodeMaskRules): unknown {
  if (value === undefined) return undefined;
  const m = new Masker(rules);
  const v = plain(value);
  const found = new Set<string>();
  m.collect(v, 0, found);
  return m.rewrite(v, 0, replacements(found));
}

/** The same for text kept as received (a notification body, a stored JSON payload): JSON, form-encoded or
 *  plain text, every other byte unchanged unless a code was spelled in a way only re-encoding can hide. */
export function maskPaymentCodesInText(text: string, rules: CodeMaskRules): string {
  const m = new Masker(rules);
  const found = new Set<string>();
  m.collect(text, 0, found);
  return m.rewriteText(text, 0, replacements(found));
}
