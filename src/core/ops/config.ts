/** Reading and changing ccmcp's own settings (CLI only: a model should not raise its limits). */
import * as z from 'zod'

import {Config, parseConfigValue} from '../config.js'
import {defineOperation} from '../registry.js'

export const getConfig = defineOperation({
  name: 'get_config',
  title: 'Get config',
  description: 'Show every setting with its current value.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({}),
  output: z.object({config: Config, file: z.string()}),
  async handler(_input, {deps}) {
    return {config: await deps.config.read(), file: deps.config.path}
  },
})

export const setConfig = defineOperation({
  name: 'set_config',
  title: 'Set config',
  description: 'Change one setting.',
  level: 'HIGH',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({key: z.string().describe('Setting name'), value: z.string().describe('New value')}),
  output: z.object({config: Config, file: z.string()}),
  async handler(input, {deps}) {
    const {key, value} = parseConfigValue(input.key, input.value)
    const config = await deps.config.update((current) => {
      const next = Config.parse({...current, [key]: value})
      return {value: next, result: next}
    })
    return {config, file: deps.config.path}
  },
})
