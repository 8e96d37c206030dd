import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a copy of the OULAD CSV files that keeps only the given
 * presentations (such as "AAA-2014J"), so that tests and benchmarks can
 * import them in seconds. Rows are kept by their code_module and
 * code_presentation columns, and studentAssessment.csv rows by the
 * assessments of the kept presentations.
 *
 * NOTE: splits lines on commas, which holds for OULAD (every value is a quoted
 * string without commas or newlines) but not for CSV in general.
 */
export function writeOuladSubset(
  sourceDir: string,
  targetDir: string,
  presentations: readonly string[],
): void {
  mkdirSync(targetDir, { recursive: true });
  const kept = new Set(presentations);
  const assessments = new Set<string>();

  // assessments.csv goes first so studentAssessment.csv can be filtered by its ids.
  const csvFiles = readdirSync(sourceDir)
    .filter((name) => name.endsWith('.csv'))
    .sort();
  const files = csvFiles.includes('assessments.csv')
    ? ['assessments.csv', ...csvFiles.filter((name) => name !== 'assessments.csv')]
    : csvFiles;
  for (const name of files) {
    const lines = readFileSync(join(sourceDir, name), 'utf8').split(/\r?\n/);
    const header = splitLine(lines[0] ?? '');
    const module = header.indexOf('code_module');
    const presentation = header.indexOf('code_presentation');
    const assessment = header.indexOf('id_assessment');
    const output = [lines[0] ?? ''];
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const cells = splitLine(line);
      const keep =
        module >= 0 && presentation >= 0
          ? kept.has(`${cells[module]}-${cells[presentation]}`)
          : assessment >= 0 && assessments.has(cells[assessment] ?? '');
      if (!keep) continue;
      if (name === 'assessments.csv') assessments.add(cells[assessment] ?? '');
      output.push(line);
    }
    writeFileSync(join(targetDir, name), output.join('\n') + '\n');
  }
}

function splitLine(line: string): string[] {
  return line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
}
