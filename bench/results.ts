// Every figure the bench prints, with its unit and, for targets, the bound it is held to: written to
// bench/results.json and, as a table, into the README between the bench markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { cpus, totalmem } from 'node:os';

interface Figure {
  group: string;
  name: string;
  value: number;
  unit: string;
  target?: { op: '<=' | '>='; limit: number; met: boolean };
}

const RESULTS = new URL('./results.json', import.meta.url);
const README = new URL('../README.md', import.meta.url);
const BEGIN = '<!-- bench:begin (written by npm run bench from bench/results.json) -->';
const END = '<!-- bench:end -->';

const round = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(value < 10 ? 3 : 1)) : null);

export class Results {
  private readonly figures: Figure[] = [];

  add(group: string, name: string, value: number, unit: string): void {
    this.figures.push({ group, name, value, unit });
  }

  target(group: string, name: string, value: number, unit: string, op: '<=' | '>=', limit: number): void {
    const met = Number.isFinite(value) && (op === '<=' ? value <= limit : value >= limit);
    this.figures.push({ group, name, value, unit, target: { op, limit, met } });
  }

  print(): void {
    for (const line of this.table()) console.log(line);
  }

  private table(): string[] {
    const lines = ['| group | target | measured | bound | met |', '|---|---|---|---|---|'];
    for (const f of this.figures) {
      if (!f.target) continue;
      lines.push(
        `| ${f.group} | ${f.name} | ${round(f.value)} ${f.unit} | ${f.target.op} ${f.target.limit} | ${f.target.met ? 'yes' : '**no**'} |`,
      );
    }
    return lines;
  }

  async write(extra: Record<string, unknown>): Promise<void> {
    const machine = `${cpus().length}x ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
    const date = new Date().toISOString();
    const document = {
      date,
      machine,
      ...extra,
      figures: this.figures.map((f) => ({ ...f, value: round(f.value) })),
    };
    writeFileSync(RESULTS, `${JSON.stringify(document, null, 2)}\n`);
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) {
      console.log('(README has no bench markers; table not written there)');
      return;
    }
    const block = [BEGIN, '', `Last run: ${date} on ${machine}.`, '', ...this.table(), '', END].join('\n');
    // Aligned as `prettier` writes the rest of the README, so a bench run leaves no formatting diff behind.
    const table = await format(block, { parser: 'markdown', printWidth: 120 });
    writeFileSync(README, readme.slice(0, start) + table.trimEnd() + readme.slice(end + END.length));
  }
}
