import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchFigure } from './types';

/**
 * Runs every bench/*.bench.ts (or those whose names contain an argument) and
 * writes the figures to BENCHMARKS.md with the command and the machine.
 */
async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort();

  const sections: string[] = [];
  for (const file of files) {
    const bench = (await import(join(__dirname, file))).default as Bench;
    console.log(`running ${file}: ${bench.title}`);
    const figures = await bench.run();
    for (const figure of figures) console.log(formatFigureLine(figure));
    sections.push(formatSection(file, bench.title, figures));
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  const header = [
    '# Benchmarks',
    '',
    `Command: \`npm run bench${filters.length ? ' -- ' + filters.join(' ') : ''}\``,
    `Machine: ${cpus().length} cores (${cpu}), ${memoryGiB} GiB, Node ${process.version}, ${process.platform}/${process.arch}`,
    `Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    'Each ratio compares a figure with a baseline measured in the same run on the same machine.',
    '',
  ];
  writeFileSync(join(__dirname, '..', 'BENCHMARKS.md'), [...header, ...sections].join('\n'));
}

function formatFigureLine(figure: BenchFigure): string {
  const ratio = figure.ratio === undefined ? '' : ` (ratio ${figure.ratio.toFixed(2)})`;
  return `  ${figure.name}: ${figure.value.toPrecision(4)} ${figure.unit}${ratio}`;
}

function formatSection(file: string, title: string, figures: BenchFigure[]): string {
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
