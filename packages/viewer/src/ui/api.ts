/**
 * The API the mount serves beside the page. The page sits at the mount root and its script at
 * `<mount>/assets/`, so the API is `<mount>/api/`, whatever the mount path is.
 */
export const API = new URL('../api/', import.meta.url);

/** GETs `url` as JSON: the status and the parsed body (null when it is not JSON). */
export async function getJson<T>(
  url: URL,
): Promise<{ status: number; ok: boolean; body: T | null }> {
  const res = await fetch(url, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  const body = (await res.json().catch(() => null)) as T | null;
  return { status: res.status, ok: res.ok, body };
}
