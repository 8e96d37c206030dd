import type { HelperDelegate, HelperOptions } from 'handlebars';

/** A feature as templates see it: key, display name and help link. */
export interface FeatureInfo {
  key: string;
  name: string;
  helpUrl: string | null;
}

/**
 * Throws when a helper argument is undefined. Handlebars' strict mode checks
 * plain `{{name}}` lookups but not helper arguments, so without this a
 * misspelled variable inside `{{#if}}` or `{{formatDate}}` would render blank.
 */
export function requireDefined(helper: string, value: unknown, options: HelperOptions): void {
  if (value !== undefined) return;
  const loc = (options as HelperOptions & { loc?: { start: { line: number } } }).loc;
  const where = loc ? ` on line ${loc.start.line}` : '';
  throw new Error(`helper "${helper}"${where} was given an undefined value (a missing variable)`);
}

function lookupFeature(key: unknown, options: HelperOptions): FeatureInfo {
  requireDefined('feature', key, options);
  const features = (options.data as { root?: { features?: Record<string, FeatureInfo> } }).root
    ?.features;
  const feature = features && Object.hasOwn(features, String(key)) ? features[String(key)] : null;
  if (!feature) throw new Error(`unknown feature key "${String(key)}": not in the features table`);
  return feature;
}

/** Formats an epoch-ms instant as a day, for example "4 December 2026", in UTC or a given time zone. */
function formatDate(this: unknown, instant: unknown, ...rest: unknown[]): string {
  const options = rest[rest.length - 1] as HelperOptions;
  requireDefined('formatDate', instant, options);
  const timeZone = typeof rest[0] === 'string' ? rest[0] : 'UTC';
  const date = new Date(Number(instant));
  if (Number.isNaN(date.getTime())) throw new Error(`formatDate: ${String(instant)} is not a date`);
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  });
}

/** Picks the singular or plural word for a count: `{{pluralize n "seat"}}` or with an explicit plural. */
function pluralize(this: unknown, count: unknown, singular: unknown, ...rest: unknown[]): string {
  const options = rest[rest.length - 1] as HelperOptions;
  requireDefined('pluralize', count, options);
  const plural = typeof rest[0] === 'string' ? rest[0] : `${String(singular)}s`;
  return Number(count) === 1 ? String(singular) : plural;
}

/** Formats a 0..1 ratio as a whole percentage; null renders as "n/a". */
function percent(this: unknown, ratio: unknown, options: HelperOptions): string {
  requireDefined('percent', ratio, options);
  if (ratio === null) return 'n/a';
  return `${Math.round(Number(ratio) * 100)}%`;
}

/** The helpers every template may use, by name. */
export const templateHelpers: Record<string, HelperDelegate> = {
  formatDate,
  pluralize,
  percent,
  /** Joins a path to the product URL: `{{appLink "/feedback"}}`. */
  appLink(path: unknown, options: HelperOptions) {
    requireDefined('appLink', path, options);
    const root = (options.data as { root?: { appUrl?: string } }).root;
    return `${(root?.appUrl ?? '').replace(/\/+$/, '')}${String(path)}`;
  },
  featureName: (key: unknown, options: HelperOptions) => lookupFeature(key, options).name,
  featureHelpUrl(key: unknown, options: HelperOptions) {
    const feature = lookupFeature(key, options);
    const root = (options.data as { root?: { appUrl?: string } }).root;
    return feature.helpUrl ?? `${root?.appUrl ?? ''}/features/${encodeURIComponent(feature.key)}`;
  },
};

/** Built-in block helpers that get the same undefined-argument check. */
export const strictBuiltins = ['if', 'unless', 'each', 'with'] as const;
