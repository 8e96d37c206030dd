import { existsSync } from 'node:fs';
import { defaultStorePath } from '../config';
import { openStore, type Store } from '../store/database';
import { parseInstant } from '../store/time';

/** Opens the store the CLI names with --db (or the default), throwing when the file does not exist. */
export async function openExistingStore(path: string | undefined): Promise<Store> {
  const resolved = path ?? defaultStorePath();
  if (!existsSync(resolved)) {
    throw new Error(`Store file not found: ${resolved}. Pass --db <path> or import data first.`);
  }
  return openStore(resolved);
}

/** Parses a date option, throwing an error that names the option and the expected format. */
export function parseDateOption(option: string, text: string): number {
  const instant = parseInstant(text);
  if (instant === undefined) {
    throw new Error(
      `Invalid ${option} value "${text}": expected an ISO 8601 date such as 2014-06-30.`,
    );
  }
  return instant;
}

/** Parses a regular expression option, throwing an error that names the option. */
export function parsePatternOption(option: string, text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new Error(`Invalid ${option} pattern "${text}": ${(error as Error).message}.`);
  }
}
