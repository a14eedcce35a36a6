#!/usr/bin/env bash
# Brings this machine to a state where Oxcart builds, runs and tests.
# Idempotent: every step checks first and is skipped when already done.
# Source it (`. scripts/setup.sh`) to also get the PATH it sets up.
# `OXCART_SETUP=run` installs only what building and running the shop needs
# (scripts/run.sh); anything else also installs the test tools: Chromium,
# PostgreSQL and the API fuzzer (scripts/test.sh).
set -euo pipefail

OXCART_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.11
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

# Debian packages: the route to a wasm32 toolchain, PostgreSQL and Chromium for tests.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The browser build's standard library is compiled as the browser build is
# (.cargo/config.toml): a panic stops at once, with no message formatting.
WASM_STD_FLAGS="-Zunstable-options -Cpanic=immediate-abort"

# One toolchain for everything: Debian's rustc-web (1.96) with a wasm32 standard
# library built from its source. rustup's stable (1.95) cannot install
# cargo-leptos 0.3 (`--locked` needs rustc >= 1.96) and its wasm32 target is not
# always downloadable, so a machine with rustup needs this toolchain anyway;
# using it for every build keeps one set of build artifacts in the cache.
setup_wasm_toolchain() {
  apt_install rustc-web cargo-web rust-web-src lld-22
  export PATH="/usr/bin:$PATH"
  local libdir=/usr/lib/rustlib/wasm32-unknown-unknown/lib
  local stamp="$libdir/.built-by" version; version="$(/usr/bin/rustc --version) $WASM_STD_FLAGS"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$version" ]; then
    say "building the wasm32 standard library (about a minute)"
    local tmp; tmp="$(mktemp -d)"
    printf '[package]\nname = "wasmstd"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "lib.rs"\n' >"$tmp/Cargo.toml"
    : >"$tmp/lib.rs"
    (cd "$tmp" && CARGO_TARGET_DIR="$tmp/target" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="$WASM_STD_FLAGS" \
      /usr/bin/cargo build -q --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
    # Only this build's libraries: an earlier build's copies (other hashes)
    # left beside them make every wasm compile fail with "multiple candidates".
    mkdir -p "$libdir"
    find "$libdir" -maxdepth 1 -name '*.rlib' -delete
    find "$tmp/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libwasmstd*' \
      -exec cp {} "$libdir/" \;
    echo "$version" >"$stamp"
    rm -rf "$tmp"
  fi
}

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' \
    "$OXCART_ROOT/Cargo.lock"
}

# Tools are built cheaply: no LTO, many codegen units, light optimisation and no
# debug info. Their own speed hardly matters (cargo-leptos mostly runs cargo;
# wasm-bindgen works on one file), and a fat-LTO build of cargo-leptos alone
# took 32 minutes on a fresh 2-core machine.
cargo_install() { # name version [extra args]
  local name=$1 version=$2; shift 2
  say "installing $name $version (a one-off; takes minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install -q "$name" --version "$version" "$@"
}

setup_cargo_tools() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    cargo_install cargo-leptos "$CARGO_LEPTOS_VERSION" --locked
  fi
  local wb; wb="$(locked_wasm_bindgen)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb"; then
    # --locked fails for 0.2.130: its lockfile names a yanked webpki-roots.
    cargo_install wasm-bindgen-cli "$wb"
  fi
}

# Node packages: binaryen's wasm-opt (the release build shrinks the WASM with
# it) and Playwright, which drives Debian's Chromium in the tests.
setup_node() {
  local e2e="$OXCART_ROOT/end2end"
  if [ ! -d "$e2e/node_modules" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.installed" ]; then
    say "installing Node packages"
    (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    touch "$e2e/node_modules/.installed"
  fi
  export PATH="$e2e/node_modules/.bin:$PATH"
}

# Test tools from PyPI, each in its own virtual environment under
# ~/.cache/oxcart (so their dependencies never meet): schemathesis fuzzes the
# JSON API from its OpenAPI document; moto's server is the S3-compatible
# store the media tests upload to.
SCHEMATHESIS_VERSION=4.32.5
MOTO_VERSION=5.2.5
setup_python_tool() { # venv-name distribution version [extras]
  local venv="$HOME/.cache/oxcart/$1"
  local have; have="$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$2'))" 2>/dev/null || true)"
  if [ "$have" != "$3" ]; then
    say "installing $2 $3 (a test tool)"
    command -v python3 >/dev/null || apt_install python3
    rm -rf "$venv"
    python3 -m venv "$venv" 2>/dev/null || { rm -rf "$venv"; apt_install python3-venv; python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q "$2${4:-}==$3"
  fi
}

export PATH="$HOME/.cargo/bin:$PATH"
# Build output is cached outside the clone so a fresh clone (CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/oxcart/target}"
setup_wasm_toolchain
setup_cargo_tools
setup_node
if [ "${OXCART_SETUP:-test}" != run ]; then
  apt_install chromium postgresql curl
  setup_python_tool schemathesis schemathesis "$SCHEMATHESIS_VERSION"
  setup_python_tool moto moto "$MOTO_VERSION" "[server]"
fi
say "ready ($(rustc --version))"
