/**
 * Replaces the userinfo of every URL in `text` (`postgres://app:S3cret@host/db` →
 * `postgres://***@host/db`), so no password the user typed is ever printed back. The userinfo
 * runs to the last `@` of the word, so a password with an unescaped `@` or `/` is hidden whole.
 * A word without a scheme is masked the same way when it has a `user:password@` part.
 */
export function maskUrls(text: string): string {
  return text.replace(/[^\s"'`()<>]*@[^\s"'`()<>]*/g, (word) => {
    const at = word.lastIndexOf('@');
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(word);
    if (scheme !== null) return `${scheme[0]}***${word.slice(at)}`;
    return word.slice(0, at).includes(':') ? `***${word.slice(at)}` : word;
  });
}
