import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../cli/base-command.js'
import {CcmcpError} from '../core/domain/errors.js'
import {WIRE_PROTOCOL} from '../core/remote/wire.js'

export default class Call extends CcmcpCommand {
  static override hidden = true
  static override summary = 'Run one operation with JSON input from stdin (the wire protocol another ccmcp uses over ssh)'
  static override description = `Prints {"protocol", "version", "output"} as JSON, or the usual error document and exit code. The caller is this machine's operator (or the agent whose environment this is), as for every command.`
  static override args = {operation: Args.string({required: true, description: 'Operation name, e.g. get_session_status'})}
  static override flags = {protocol: Flags.integer({required: true, description: 'The wire protocol the caller speaks'})}

  async run() {
    const {args, flags} = await this.parse(Call)
    if (flags.protocol !== WIRE_PROTOCOL) {
      throw new CcmcpError('ENVIRONMENT', `This ccmcp (${this.config.version}) speaks wire protocol ${WIRE_PROTOCOL}, and the caller speaks ${flags.protocol}.`, {
        hint: 'Install the same ccmcp version on both machines.',
        reason: 'remote-protocol',
      })
    }
    const text = await this.messageOrStdin('-')
    let input: unknown
    try {
      input = text.trim() === '' ? {} : JSON.parse(text)
    } catch {
      throw new CcmcpError('INVALID_INPUT', 'The input on stdin is not JSON.', {hint: 'Give the operation input as one JSON object.'})
    }
    const [{core}, {surfaceCaller}] = await Promise.all([this.runtime(), import('../core/pipeline/caller.js')])
    const output = await core.runUnknown(args.operation, input, {caller: surfaceCaller(this.io.env)})
    return {protocol: WIRE_PROTOCOL, version: this.config.version, output}
  }
}
