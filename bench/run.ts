import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchFigure } from './types';

/**
 * Runs every bench/*.bench.ts (or those whose names contain an argument) and
 * writes the figures to BENCHMARKS.md with the command and the machine. A run
 * of some benchmarks replaces their sections and keeps the others.
 */
async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort();

  const command = `npm run bench${filters.length ? ' -- ' + filters.join(' ') : ''}`;
  const sections = new Map<string, string>();
  for (const file of files) {
    const bench = (await import(join(__dirname, file))).default as Bench;
    console.log(`running ${file}: ${bench.title}`);
    const figures = await bench.run();
    for (const figure of figures) console.log(formatFigureLine(figure));
    sections.set(file, formatSection(file, bench.title, figures, command));
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  const header = [
    '# Benchmarks',
    '',
    'Command: `npm run bench` runs all; `npm run bench -- NAME` runs the files whose names',
    'contain NAME and keeps the other sections. Each section names the command it came from.',
    `Machine: ${cpus().length} cores (${cpu}), ${memoryGiB} GiB, Node ${process.version}, ${process.platform}/${process.arch}`,
    `Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    'Each ratio compares a figure with a baseline measured in the same run on the same machine.',
    '',
  ];
  const path = join(__dirname, '..', 'BENCHMARKS.md');
  const merged = filters.length > 0 ? mergeSections(readSections(path), sections) : sections;
  writeFileSync(path, [...header, ...merged.values()].join('\n'));
}

/** Reads the sections of an existing BENCHMARKS.md, keyed by the bench file each one names. */
function readSections(path: string): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(path)) return sections;
  const parts = readFileSync(path, 'utf8')
    .split(/^(?=## )/m)
    .slice(1);
  for (const part of parts) {
    const file = /^Code: `bench\/([^`]+)`/m.exec(part)?.[1];
    if (file) sections.set(file, part.trimEnd() + '\n');
  }
  return sections;
}

/** Replaces the sections of the benchmarks that ran and keeps the others, in file order. */
function mergeSections(
  previous: Map<string, string>,
  fresh: Map<string, string>,
): Map<string, string> {
  const merged = new Map([...previous, ...fresh]);
  return new Map([...merged.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function formatFigureLine(figure: BenchFigure): string {
  const ratio = figure.ratio === undefined ? '' : ` (ratio ${figure.ratio.toFixed(2)})`;
  return `  ${figure.name}: ${figure.value.toPrecision(4)} ${figure.unit}${ratio}`;
}

function formatSection(
  file: string,
  title: string,
  figures: BenchFigure[],
  command: string,
): string {
  const rows = figures.map((figure) => {
    const baseline = figure.baseline
      ? `${figure.baseline.name}: ${figure.baseline.value.toPrecision(4)} ${figure.baseline.unit}`
      : '';
    const ratio = figure.ratio === undefined ? '' : figure.ratio.toFixed(2);
    return `| ${figure.name} | ${figure.value.toPrecision(4)} ${figure.unit} | ${baseline} | ${ratio} | ${figure.goal ?? ''} | ${figure.note ?? ''} |`;
  });
  return [
    `## ${title}`,
    '',
    `Code: \`bench/${file}\``,
    `Run: \`${command}\`, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| figure | value | baseline | ratio | goal | note |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
