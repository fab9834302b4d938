// Writes one bench's section of BENCHMARKS.md between its own marker comments, leaving every other
// section (scan bench, the other bench here) byte-for-byte as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeSection(path: string, name: string, body: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const i = old.indexOf(begin);
  const j = old.indexOf(end);
  let next: string;
  if (i >= 0 && j > i) next = old.slice(0, i) + block + old.slice(j + end.length);
  else next = `${old.replace(/\s*$/, '')}\n\n${block}\n`;
  writeFileSync(path, next);
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
