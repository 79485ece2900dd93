/** --json output: JSON with DEL and C1 controls escaped too (JSON.stringify escapes only C0), so it is inert on a terminal. */
const RAW_CONTROLS = /[\u007F-\u009F]/g

export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replaceAll(RAW_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
