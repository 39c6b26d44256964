import { setTimeout as delay } from 'node:timers/promises';

/** One sample of the Prometheus text format: `name{label="value",...} 3`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = SAMPLE.exec(line) ?? [];
      if (name === undefined || value === undefined) throw new Error(`not a Prometheus sample: ${line}`);
      return {
        name,
        labels: Object.fromEntries([...labels.matchAll(LABEL)].map(([, key, text]) => [key!, text!])),
        value: Number(value),
      };
    });
}

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return parsePrometheusText(await response.text());
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Scrapes until `until` holds for the samples (the endpoint may not be up yet), or fails after `timeoutMs`. */
export async function scrapeUntil(
  url: string,
  what: string,
  until: (samples: Sample[]) => boolean,
  timeoutMs = 60_000,
): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Sample[] = [];
  for (;;) {
    last = await scrape(url).catch(() => last);
    if (until(last)) return last;
    if (Date.now() > deadline) {
      const fsfo = last.filter((sample) => sample.name.startsWith('fsfo_'));
      throw new Error(`${what}: not seen in ${url}; product samples:\n${JSON.stringify(fsfo, null, 1)}`);
    }
    await delay(200);
  }
}
