// A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP, a TYPE or a
// sample of a declared family, or it throws — so "/metrics parses" means something.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
  /** The sample with exactly these labels (others absent), or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Sum over every sample of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE = '"((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"';
// Go's ParseFloat, as Prometheus reads values: NaN and Inf in any case (prom-client writes `Nan`).
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)|nan)$/i;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL}=${VALUE})(?:,${LABEL}=${VALUE})*,?)?\\})? (\\S+)(?: -?\\d+)?$`);
const PAIR = new RegExp(`(${LABEL})=${VALUE}`, 'g');
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function family(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count|total|created)$/, '');
  return types.has(base) ? base : undefined;
}

export function parsePrometheus(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      const where = `line ${i + 1}: ${JSON.stringify(line)}`;
      if (line === '') return;
      if (line.startsWith('# HELP ')) {
        if (!new RegExp(`^# HELP ${NAME} .*$`).test(line)) throw new Error(`bad HELP, ${where}`);
        return;
      }
      if (line.startsWith('# TYPE ')) {
        const m = new RegExp(`^# TYPE (${NAME}) (\\w+)$`).exec(line);
        if (!m || !TYPES.has(m[2])) throw new Error(`bad TYPE, ${where}`);
        if (types.has(m[1])) throw new Error(`TYPE declared twice, ${where}`);
        types.set(m[1], m[2]);
        return;
      }
      if (line.startsWith('#')) return;
      const m = SAMPLE.exec(line);
      if (!m || !NUMBER.test(m[m.length - 1])) throw new Error(`bad sample, ${where}`);
      if (!family(m[1], types)) throw new Error(`sample of an undeclared family, ${where}`);
      const labels: Record<string, string> = {};
      for (const p of (m[2] ?? '').matchAll(PAIR)) labels[p[1]] = p[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
      const raw = m[m.length - 1];
      const lower = raw.toLowerCase().replace(/^([+-]?)inf$/, '$1infinity');
      samples.push({
        name: m[1],
        labels,
        value: lower === 'nan' ? NaN : lower.endsWith('infinity') ? (lower.startsWith('-') ? -Infinity : Infinity) : Number(raw),
      });
    });
  const includes = (s: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  return {
    types,
    samples,
    value(name, labels = {}) {
      return samples.find((s) => s.name === name && includes(s, labels) && Object.keys(s.labels).length === Object.keys(labels).length)
        ?.value;
    },
    sum(name, labels = {}) {
      return samples.filter((s) => s.name === name && includes(s, labels)).reduce((a, s) => a + s.value, 0);
    },
  };
}
