import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {CONFIG_KEYS, Config} from '../../core/domain/config.js'
import {operations} from '../../core/pipeline/registry.js'
import {shown} from '../../cli/config-value.js'

export default class ConfigSet extends CcmcpCommand {
  static override summary = 'Change a setting'
  static override description = `Settings:\n${CONFIG_KEYS.map((key) => `  ${key}: ${Config.shape[key].description}`).join('\n')}\n\n\`ccmcp config unset <key>\` puts one back to its default.`
  static override examples = ['<%= config.bin %> config set maxAgents 24', '<%= config.bin %> config set claudeBin /opt/claude/bin/claude']
  static override args = {
    key: argFrom(operations.set_config.input, 'key'),
    value: argFrom(operations.set_config.input, 'value'),
  }

  async run() {
    const {args} = await this.parse(ConfigSet)
    const result = await this.runOperation('set_config', {key: args.key, value: args.value})
    this.log(`${args.key} = ${shown(result.config[args.key as keyof typeof result.config])}`)
    return result
  }
}
