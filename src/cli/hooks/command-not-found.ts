/** An unknown command is a usage error like any other: its JSON error with --json, its exit code. */
import type {Hook} from '@oclif/core'

import {CcmcpError} from '../../core/domain/errors.js'
import {exitWith} from '../errors.js'
import {currentIo} from '../io.js'

const hook: Hook<'command_not_found'> = async function ({id, argv, config}) {
  const typed = id.replaceAll(':', ' ')
  const topics = config.topics.filter((topic) => !topic.hidden && !topic.name.includes(':')).map((topic) => topic.name)
  const commands = config.commands.filter((command) => !command.hidden && !command.id.includes(':')).map((command) => command.id)
  const error = new CcmcpError('INVALID_INPUT', `There is no command "ccmcp ${typed}".`, {
    hint: `See \`ccmcp --help\`; the commands are under: ${[...new Set([...topics, ...commands])].sort().join(', ')}.`,
  })
  const passThrough = argv?.indexOf('--') ?? -1
  const json = (argv ?? []).some((arg, index) => arg === '--json' && (passThrough === -1 || index < passThrough))
  exitWith(currentIo(), error, json)
}

export default hook
