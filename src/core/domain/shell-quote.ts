/** One argv element as a POSIX shell reads it back byte for byte: bare when plainly safe, else inside '…' with ' written as '\''. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
