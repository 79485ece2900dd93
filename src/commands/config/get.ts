import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {table} from '../../cli/format.js'

export default class ConfigGet extends CcmcpCommand {
  static override summary = 'Show settings (all, or one)'
  static override args = {key: Args.string({required: false, description: 'One setting'})}

  async run() {
    const {args} = await this.parse(ConfigGet)
    const result = await this.runOperation('get_config', {})
    const entries = Object.entries(result.config).filter(([key]) => args.key === undefined || key === args.key)
    if (args.key !== undefined && entries.length === 0) {
      const {CcmcpError} = await import('../../core/errors.js')
      throw new CcmcpError('INVALID_INPUT', `Unknown config key "${args.key}".`, {hint: `Known keys: ${Object.keys(result.config).join(', ')}.`})
    }
    this.log(table(['KEY', 'VALUE'], entries.map(([key, value]) => [key, value === undefined ? '(default)' : String(value)])))
    this.log(`\n${result.file}`)
    return result
  }
}
