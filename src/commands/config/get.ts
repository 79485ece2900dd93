import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {CONFIG_KEYS} from '../../core/domain/config.js'
import {operations} from '../../core/pipeline/registry.js'
import {shown} from '../../cli/config-value.js'
import {table} from '../../present/status.js'

export default class ConfigGet extends CcmcpCommand {
  static override summary = 'Show settings (all, or one)'
  static override args = {key: argFrom(operations.get_config.input, 'key')}

  async run() {
    const {args} = await this.parse(ConfigGet)
    const result = await this.runOperation('get_config', {key: args.key})
    const keys = args.key === undefined ? CONFIG_KEYS : CONFIG_KEYS.filter((key) => key === args.key)
    this.log(table(['KEY', 'VALUE'], keys.map((key) => [key, result.config[key] === undefined ? '(default)' : shown(result.config[key])])))
    this.log(`\n${result.file}`)
    return result
  }
}
