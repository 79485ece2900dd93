import {describe, expect, it} from 'vitest'

import {type BackendChoiceInput, backendFromEnv, chooseDefaultBackend, iTerm2AppPaths} from '../../src/core/platform/backend-choice.js'

const choose = (overrides: Partial<BackendChoiceInput> & {installed?: string[]} = {}) => {
  const installed = new Set(overrides.installed ?? [])
  return chooseDefaultBackend({env: {}, config: {}, platform: 'darwin', home: '/Users/me', exists: (file) => installed.has(file), ...overrides})
}

describe('default backend for a new session', () => {
  it('macOS: iTerm2 when installed system-wide or per user, else tmux', () => {
    expect(choose({installed: ['/Applications/iTerm.app']})).toBe('iterm2')
    expect(choose({installed: ['/Users/me/Applications/iTerm.app']})).toBe('iterm2')
    expect(choose({installed: ['/Applications/Terminal.app']})).toBe('tmux')
    expect(iTerm2AppPaths('/Users/me')).toEqual(['/Applications/iTerm.app', '/Users/me/Applications/iTerm.app'])
  })

  it('elsewhere: tmux, even if something called iTerm.app exists', () => {
    expect(choose({platform: 'linux', installed: ['/Applications/iTerm.app']})).toBe('tmux')
    expect(choose({platform: 'win32'})).toBe('tmux')
  })

  it('CCMCP_BACKEND beats the config, which beats the platform', () => {
    expect(choose({config: {backend: 'tmux'}, installed: ['/Applications/iTerm.app']})).toBe('tmux')
    expect(choose({platform: 'linux', config: {backend: 'iterm2'}})).toBe('iterm2')
    expect(choose({env: {CCMCP_BACKEND: 'iterm2'}, config: {backend: 'tmux'}, platform: 'linux'})).toBe('iterm2')
    expect(choose({env: {CCMCP_BACKEND: ''}, config: {backend: 'tmux'}})).toBe('tmux')
  })

  it('refuses an unknown CCMCP_BACKEND with the list of backends', () => {
    expect(backendFromEnv({})).toBeUndefined()
    expect(() => backendFromEnv({CCMCP_BACKEND: 'kitty'})).toThrow(expect.objectContaining({code: 'ENVIRONMENT', hint: 'Use one of: tmux, iterm2.'}))
  })
})
