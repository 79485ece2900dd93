/**
 * Keeps the fields a newer ccmcp added (and this one does not know) through this one's writes.
 * zod strips unknown keys when parsing; the stripped ones are hung on the parsed objects under a
 * symbol, which object spread (`{...agent, status}`) copies along, and merged back when writing.
 * So an unknown field survives every update of its record; a record this ccmcp builds anew, or
 * removes, carries none. Unknown values that this ccmcp cannot parse at all (a new status, say)
 * still make the file invalid: that is refused, never rewritten.
 */
const UNKNOWN = Symbol('ccmcp.unknownFields')

type Plain = Record<string, unknown>
const isPlain = (value: unknown): value is Plain => {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** Hangs what `raw` had and `parsed` lost onto `parsed` (walking both in step); returns `parsed`. */
export function rememberUnknownFields<T>(raw: unknown, parsed: T): T {
  walk(raw, parsed)
  return parsed
}

function walk(raw: unknown, parsed: unknown): void {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    if (raw.length === parsed.length) raw.forEach((item, index) => walk(item, parsed[index]))
    return
  }
  if (!isPlain(raw) || !isPlain(parsed)) return
  const unknown: Plain = {}
  for (const [key, value] of Object.entries(raw)) {
    if (Object.hasOwn(parsed, key)) walk(value, parsed[key])
    else unknown[key] = value
  }
  if (Object.keys(unknown).length > 0) Object.defineProperty(parsed, UNKNOWN, {value: unknown, enumerable: true, writable: true, configurable: true})
}

/** A plain copy of `value` with the remembered fields merged back (known fields win). */
export function withUnknownFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnknownFields)
  if (!isPlain(value)) return value
  const out: Plain = {}
  for (const [key, item] of Object.entries(value)) out[key] = withUnknownFields(item)
  const unknown = (value as {[UNKNOWN]?: Plain})[UNKNOWN]
  if (unknown) for (const [key, item] of Object.entries(unknown)) if (!Object.hasOwn(out, key)) out[key] = item
  return out
}
