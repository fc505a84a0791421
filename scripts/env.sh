# Sourced by Ponder's scripts: where the bootstrap puts things, and the pkg-config path SwiftPM
# needs to find the pinned llama.cpp. Source it yourself before a bare `swift build`:
#   source scripts/env.sh
PONDER_LLAMA_VERSION="0.3.36"
PONDER_CACHE="${PONDER_CACHE:-$HOME/.cache/ponder}"
PONDER_LLAMA_PREFIX="$PONDER_CACHE/llama-$PONDER_LLAMA_VERSION"
export PONDER_CACHE
export PKG_CONFIG_PATH="$PONDER_LLAMA_PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

PONDER_PATCHES="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/patches"

# True when the libraries, built with the current patch set (patches/series), and the default
# model are in place (the bootstrap's own stamps).
ponder_bootstrapped() {
  [ -f "$PONDER_LLAMA_PREFIX/.libs-built" ] && [ -f "$PONDER_LLAMA_PREFIX/lib/pkgconfig/ponder-llama.pc" ] \
    && [ "$(cat "$PONDER_LLAMA_PREFIX/src/.patches" 2>/dev/null)" = "$(sha256sum "$PONDER_PATCHES/series" 2>/dev/null | cut -d' ' -f1)" ] \
    && [ -f "$PONDER_CACHE/models/.SmolLM2-135M-Instruct.Q4_1.gguf.ok" ]
}
