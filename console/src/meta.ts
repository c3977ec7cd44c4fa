/** Reading an environment's amplify-meta. */

/** The parsed amplifyMetaConfig, or the text itself when it is not JSON. */
export function parseMeta(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The resource names of one category (`auth`, `api`, `storage`) in amplify-meta. */
export function resourceNames(meta: unknown, category: string): string[] {
  if (meta === null || typeof meta !== 'object') return [];
  const section = (meta as Record<string, unknown>)[category];
  if (section === null || typeof section !== 'object') return [];
  return Object.keys(section).sort();
}
