/**
 * oclif flags and arguments derived from an operation's zod input: type, enum options, bounds,
 * default and description are written once, in core, and the CLI, MCP and TUI agree on them.
 */
import {Args, Flags} from '@oclif/core'
import type {Arg, BooleanFlag, OptionFlag} from '@oclif/core/interfaces'
import * as z from 'zod'

type Shape = z.ZodObject['shape']
type Value<S extends z.ZodObject, K extends keyof S['shape']> = NonNullable<z.input<S>[K]>
type FlagOf<T> = [T] extends [boolean] ? BooleanFlag<boolean> : OptionFlag<T | undefined>

export interface FlagOptions {
  char?: 'a' | 'c' | 'l' | 'n' | 'p' | 'r' | 's' | 'w'
  /** CLI wording where the schema's would name the wrong thing (e.g. a flag instead of a field). */
  description?: string
  /** null: no default shown or applied (the operation or config decides). */
  default?: string | number | boolean | null
}

interface Field {
  inner: z.ZodType
  description: string | undefined
  defaultValue: unknown
  optional: boolean
}

/** Peels optional/default/nullable wrappers, keeping the outermost description and the default. */
function field(shape: Shape, key: string): Field {
  let schema = shape[key] as z.ZodType | undefined
  if (!schema) throw new Error(`No field "${key}" in the operation input`)
  let description = schema.description
  let defaultValue: unknown
  let optional = false
  for (;;) {
    if (schema instanceof z.ZodDefault) {
      defaultValue ??= schema.def.defaultValue
      optional = true
    } else if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
      optional = true
    } else break
    schema = schema.unwrap() as z.ZodType
    description ??= schema.description
  }
  return {inner: schema, description, defaultValue, optional}
}

export function flagFrom<S extends z.ZodObject, K extends keyof S['shape'] & string>(schema: S, key: K, options: FlagOptions = {}): FlagOf<Value<S, K>> {
  const {inner, description: schemaDescription, defaultValue: schemaDefault} = field(schema.shape, key)
  const description = options.description ?? schemaDescription
  const defaultValue = options.default === null ? undefined : (options.default ?? schemaDefault)
  const common = {char: options.char, description, ...(defaultValue === undefined ? {} : {default: defaultValue as never})}
  let made: unknown
  if (inner instanceof z.ZodBoolean) made = Flags.boolean({...common, allowNo: defaultValue === true})
  else if (inner instanceof z.ZodNumber) made = Flags.integer({...common, min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined})
  else if (inner instanceof z.ZodEnum) made = Flags.option({...common, options: inner.options as string[]})()
  else if (inner instanceof z.ZodString) made = Flags.string(common)
  else throw new Error(`Field "${key}" has no flag form`)
  return made as FlagOf<Value<S, K>>
}

/** A string argument; required unless the field is optional. */
export function argFrom<S extends z.ZodObject, K extends keyof S['shape'] & string>(
  schema: S,
  key: K,
  options: {description?: string} = {},
): Arg<undefined extends z.input<S>[K] ? string | undefined : string> {
  const {description, optional} = field(schema.shape, key)
  return Args.string({required: !optional, description: options.description ?? description}) as never
}
