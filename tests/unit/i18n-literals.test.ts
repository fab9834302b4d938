// Every word a kiosk or wallet component shows must come from messages/*.json (paraglide), never a literal in the
// component: this parses each .svelte file with svelte/compiler and names each literal it finds. Fix a failure
// by adding a message key to messages/en.json, zh-CN.json and ar.json (npm run i18n) and calling m.<key>().
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src/screens', 'src/wallet', 'src/App.svelte', 'src/lib'];

/** Words that are not English: brand and wallet names, units, symbols. Exact, trimmed text. */
const ALLOWED = new Set([
  'Alipay',
  'WeChat',
  'Pay',
  'Centrapay',
  'PayBy',
  'Pockyt',
  'QR',
  'CSV',
  'ms',
  'OK',
  // Web API names and units a technician reads as they are.
  'WebUSB',
  'WebHID',
  'Web',
  'Serial',
  'Bluetooth',
  'mm',
  'B',
]);

/** Attributes a person reads or hears (screen readers included). */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'placeholder',
  'alt',
  'label',
  'aria-valuetext',
]);

/** Elements whose text is code or a command to type, not language. */
const VERBATIM = new Set(['code', 'kbd', 'samp', 'style', 'script']);

const LETTER = /\p{L}/u;
/** A sentence in a <script> block: a capitalised word followed by another word ("Scan the QR…"). */
const SENTENCE = /\p{Lu}\p{Ll}+[,:]?\s+\p{L}/u;

function svelteFiles(path: string): string[] {
  if (statSync(path).isFile()) return path.endsWith('.svelte') ? [path] : [];
  return readdirSync(path).flatMap((name) => svelteFiles(join(path, name)));
}

type Node = { type: string; [k: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

function isWordy(text: string): boolean {
  const rest = text
    .split(/[\s·×—–()/+:,.]+/u)
    .filter((w) => !ALLOWED.has(w))
    .join(' ');
  return LETTER.test(rest);
}

/** String literals an expression hands to the page: itself, either branch of ?:, the fallback of ?? and ||. */
function shownLiterals(expr: unknown): string[] {
  if (!isNode(expr)) return [];
  switch (expr.type) {
    case 'Literal':
      return typeof expr.value === 'string' ? [expr.value] : [];
    case 'TemplateLiteral':
      return (expr.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked);
    case 'ConditionalExpression':
      return [...shownLiterals(expr.consequent), ...shownLiterals(expr.alternate)];
    case 'LogicalExpression':
      return [...shownLiterals(expr.left), ...shownLiterals(expr.right)];
    default:
      return [];
  }
}

/** Sentence-like strings anywhere in a script, except developer-facing ones (thrown errors, console, imports). */
function scriptSentences(node: unknown, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => scriptSentences(n, out));
  if (!isNode(node)) return;
  if (node.type === 'ImportDeclaration' || node.type === 'ThrowStatement') return;
  if (node.type === 'CallExpression' && isNode(node.callee) && node.callee.type === 'MemberExpression') {
    const obj = node.callee.object as Node;
    if (obj.type === 'Identifier' && obj.name === 'console') return;
  }
  if (node.type === 'Literal' && typeof node.value === 'string' && SENTENCE.test(node.value) && isWordy(node.value)) out.push(node.value);
  if (node.type === 'TemplateElement') {
    const text = (node.value as { cooked: string }).cooked;
    if (SENTENCE.test(text) && isWordy(text)) out.push(text);
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'parent' && key !== 'metadata') scriptSentences(value, out);
}

function templateLiterals(node: unknown, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => templateLiterals(n, out));
  if (!isNode(node)) return;
  if ((node.type === 'RegularElement' || node.type === 'SvelteElement') && VERBATIM.has(node.name as string)) return;
  if (node.type === 'Text' && isWordy(node.data as string)) out.push((node.data as string).trim());
  if (node.type === 'ExpressionTag')
    out.push(
      ...shownLiterals(node.expression)
        .filter(isWordy)
        .map((s) => s.trim()),
    );
  if (node.type === 'Attribute') {
    const name = node.name as string;
    if (!VISIBLE_ATTRIBUTES.has(name)) return;
    const parts = Array.isArray(node.value) ? node.value : [node.value];
    for (const part of parts as Node[]) {
      if (part?.type === 'Text' && isWordy(part.data as string)) out.push((part.data as string).trim());
      if (part?.type === 'ExpressionTag')
        out.push(
          ...shownLiterals(part.expression)
            .filter(isWordy)
            .map((s) => s.trim()),
        );
    }
    return;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'parent' && key !== 'metadata') templateLiterals(value, out);
}

export function literalsIn(source: string): string[] {
  const ast = parse(source, { modern: true });
  const found: string[] = [];
  templateLiterals(ast.fragment, found);
  if (ast.instance) scriptSentences(ast.instance.content, found);
  if (ast.module) scriptSentences(ast.module.content, found);
  return found;
}

describe('no user-visible literal in a component', () => {
  it('finds text, visible attributes, shown expression literals and script sentences', () => {
    const found = literalsIn(
      `<script>const msg = 'Scan the code'; throw new Error('Not shown to users');</script>
       <p title="Hi there" class="big">Hello {ok ? 'Yes' : other} <code>npm run pair</code> Alipay ×</p>`,
    );
    expect(found.sort()).toEqual(['Hello', 'Hi there', 'Scan the code', 'Yes'].sort());
  });

  const files = ROOTS.flatMap(svelteFiles);
  it.each(files.map((f) => [relative('.', f)]))('%s', (file) => {
    const literals = literalsIn(readFileSync(file, 'utf8'));
    expect(
      literals,
      `${file} shows text that is not a message (move each to messages/*.json):\n  ${literals.map((l) => JSON.stringify(l)).join('\n  ')}`,
    ).toEqual([]);
  });
});
