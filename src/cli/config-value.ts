/** A config value as typed on a command line: objects (the price table) as JSON, the rest as text. */
export const shown = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))
