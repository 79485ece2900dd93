#!/usr/bin/env bash
# Installs the pinned Claude Code native binary into a cache OUTSIDE the repo and prints the
# absolute path of a runnable binary on stdout (everything else goes to stderr), so CI can do:
#   export CCMCP_TEST_CLAUDE_BIN="$(bash test/claude/install-claude.sh)"
#
# Why --ignore-scripts: the package's postinstall only copies the platform binary over a
# placeholder bin/claude.exe, and npm 11 may hold install scripts back anyway
# ("install-scripts … Run `npm install-scripts approve`"). Running the platform package's own
# binary is the same file, works either way, and needs no script approval.
#
# Idempotent: if the cache already holds a binary that answers `--version` with the pinned
# version, nothing is downloaded (the package is ~380 MB). Installs go to a temp folder that is
# renamed into place only when complete, so an interrupted run never leaves a half install.
set -euo pipefail

VERSION="${CCMCP_TEST_CLAUDE_VERSION:-2.1.330}"
CACHE="${CCMCP_TEST_CACHE:-${HOME}/.cache/ccmcp-test}"
DEST="${CACHE}/claude-${VERSION}"

log() { printf '[install-claude] %s\n' "$*" >&2; }

platform() {
  local os arch libc=""
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) log "unsupported OS: $(uname -s)"; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) log "unsupported CPU: $(uname -m)"; return 1 ;;
  esac
  # Alpine and friends need the musl build; glibc's ldd does not mention musl.
  if [ "$os" = linux ] && { ldd --version 2>&1 || true; } | grep -qi musl; then libc=-musl; fi
  printf '%s-%s%s' "$os" "$arch" "$libc"
}

# Prints the first candidate binary under $1 that reports the pinned version.
runnable_bin() {
  local root="$1" plat="$2" candidate out
  for candidate in \
    "${root}/node_modules/@anthropic-ai/claude-code-${plat}/claude" \
    "${root}/node_modules/@anthropic-ai/claude-code/bin/claude.exe"; do
    [ -f "$candidate" ] || continue
    [ -x "$candidate" ] || chmod +x "$candidate" 2>/dev/null || continue
    # A throwaway HOME keeps --version from touching the caller's Claude config.
    out="$(HOME="${root}/.probe-home" timeout 60 "$candidate" --version 2>/dev/null || true)"
    case "$out" in
      "${VERSION}"*) printf '%s' "$candidate"; return 0 ;;
    esac
  done
  return 1
}

main() {
  local plat bin
  plat="$(platform)"
  if bin="$(runnable_bin "$DEST" "$plat")"; then
    log "already installed: ${bin}"
    printf '%s\n' "$bin"
    return 0
  fi

  command -v npm >/dev/null || { log "npm not found"; return 1; }
  mkdir -p "$CACHE"
  # Global, not local: the EXIT trap runs after main has returned.
  tmp="$(mktemp -d "${CACHE}/.claude-${VERSION}.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # A package.json of its own stops npm from walking up into some enclosing project.
  printf '{"name":"ccmcp-claude-cache","private":true}\n' >"${tmp}/package.json"
  log "installing @anthropic-ai/claude-code@${VERSION} (${plat}) into ${DEST} (~380 MB, once)"
  # engine-strict off: the package declares node>=22 but the native binary never uses Node.
  # include=optional: the native binary ships as the platform optionalDependency.
  npm install --prefix "$tmp" --no-save --no-audit --no-fund --no-package-lock \
    --ignore-scripts --engine-strict=false --include=optional \
    "@anthropic-ai/claude-code@${VERSION}" >&2

  if ! bin="$(runnable_bin "$tmp" "$plat")"; then
    log "installed, but no binary answered --version with ${VERSION}; contents:"
    ls -la "${tmp}/node_modules/@anthropic-ai" >&2 || true
    return 1
  fi
  rm -rf "${tmp}/.probe-home"
  if runnable_bin "$DEST" "$plat" >/dev/null; then
    # A concurrent run finished first: keep its install, drop ours (the EXIT trap removes it).
    log "another run installed it meanwhile"
  else
    # Replace a broken earlier install; the rename is atomic within one filesystem.
    rm -rf "$DEST"
    mv "$tmp" "$DEST"
    trap - EXIT
  fi
  bin="$(runnable_bin "$DEST" "$plat")"
  rm -rf "${DEST}/.probe-home"
  log "installed: ${bin}"
  printf '%s\n' "$bin"
}

main "$@"
