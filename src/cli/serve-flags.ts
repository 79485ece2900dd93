/** The `ccmcp serve` flags that an installed client entry can carry, and their argv form. */
import {Flags} from '@oclif/core'

import {SECURITY_LEVELS} from '../core/pipeline/operation.js'
import {limitFlags} from './limit-flags.js'

export const serveFlags = {
  'security-level': Flags.option({options: SECURITY_LEVELS, description: 'Put --security-level in the entry (default: the server default, HIGH)'})(),
  'max-agents': limitFlags['max-agents'],
  'max-sessions': limitFlags['max-sessions'],
}

export function serveFlagArgs(flags: {'security-level'?: string; 'max-agents'?: number; 'max-sessions'?: number}): string[] {
  return Object.entries(flags).flatMap(([flag, value]) => (value === undefined || !(flag in serveFlags) ? [] : [`--${flag}`, String(value)]))
}
