/** Reading and changing ccmcp's own settings (CLI only: a model should not raise its limits). */
import * as z from 'zod'

import {CONFIG_KEYS, Config, configKey, parseConfigValue} from '../domain/config.js'
import {defineOperation} from '../pipeline/operation.js'

const Key = z.string().describe(`Setting name: ${CONFIG_KEYS.join(', ')}`)
const Result = z.object({config: Config, file: z.string()})

export const getConfig = defineOperation({
  name: 'get_config',
  scope: () => ({}),
  title: 'Get config',
  description: 'Show every setting with its current value (or one setting).',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({key: Key.optional()}),
  output: Result,
  async handler(input, {deps}) {
    if (input.key !== undefined) configKey(input.key)
    return {config: await deps.ports.config.read(), file: deps.ports.config.path}
  },
})

export const setConfig = defineOperation({
  name: 'set_config',
  callers: ['operator'],
  title: 'Set config',
  description: 'Change one setting.',
  level: 'HIGH',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({key: Key, value: z.string().describe('New value')}),
  output: Result,
  async handler(input, {deps}) {
    const {key, value} = parseConfigValue(input.key, input.value)
    const config = await deps.ports.config.update((current) => {
      const next = Config.parse({...current, [key]: value})
      return {value: next, result: next}
    })
    return {config, file: deps.ports.config.path}
  },
})

export const unsetConfig = defineOperation({
  name: 'unset_config',
  callers: ['operator'],
  title: 'Unset config',
  description: 'Put one setting back to its default.',
  level: 'HIGH',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({key: Key}),
  output: Result,
  async handler(input, {deps}) {
    const key = configKey(input.key)
    const config = await deps.ports.config.update((current) => {
      const rest: Record<string, unknown> = {...current}
      delete rest[key]
      const next = Config.parse(rest)
      return {value: next, result: next}
    })
    return {config, file: deps.ports.config.path}
  },
})
