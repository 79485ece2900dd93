import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class ConfigSet extends CcmcpCommand {
  static override summary = 'Change a setting'
  static override examples = ['<%= config.bin %> config set maxAgents 24', '<%= config.bin %> config set claudeBin /opt/claude/bin/claude']
  static override args = {
    key: Args.string({required: true, description: 'maxAgents, maxSessions, backend, claudeBin or submitDelayMs'}),
    value: Args.string({required: true, description: 'New value'}),
  }

  async run() {
    const {args} = await this.parse(ConfigSet)
    const result = await this.runOperation('set_config', {key: args.key, value: args.value})
    this.log(`${args.key} = ${String(result.config[args.key as keyof typeof result.config])}`)
    return result
  }
}
