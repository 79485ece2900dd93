import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class ConfigUnset extends CcmcpCommand {
  static override summary = 'Put a setting back to its default'
  static override examples = ['<%= config.bin %> config unset claudeBin']
  static override args = {key: argFrom(operations.unset_config.input, 'key')}

  async run() {
    const {args} = await this.parse(ConfigUnset)
    const result = await this.runOperation('unset_config', {key: args.key})
    const value = result.config[args.key as keyof typeof result.config]
    this.log(`${args.key} = ${value === undefined ? '(default)' : String(value)}`)
    return result
  }
}
