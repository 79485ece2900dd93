import {CcmcpCommand} from '../../cli/base-command.js'

export default class KeyRotate extends CcmcpCommand {
  static override summary = 'Replace the master key and re-encrypt everything encrypted at rest'
  static override description =
    'Creates a new key where the current one lives (OS keychain or key file), re-encrypts every encrypted file in the ccmcp home with it, then retires the old key. If it is interrupted, run it again: it finishes with the same new key. Not available when CCMCP_KEY gives the key.'
  static override examples = ['<%= config.bin %> key rotate']

  async run() {
    await this.parse(KeyRotate)
    const result = await this.runOperation('rotate_key', {})
    this.log(`${result.resumed ? 'Finished the interrupted rotation' : 'Rotated the key'}: ${result.previousKeyId} → ${result.keyId}; ${result.files.length} file${result.files.length === 1 ? '' : 's'} re-encrypted.`)
    return result
  }
}
