#!/bin/sh
# Cargo's rustc wrapper (.cargo/config.toml): runs rustc as asked, and lets a
# compile for the browser (wasm32-unknown-unknown) use the unstable size
# options set there for that target (RUSTC_BOOTSTRAP). Server and test builds
# run on stable rustc exactly as without the wrapper.
for arg in "$@"; do
  case "$arg" in
    wasm32-unknown-unknown | --target=wasm32-unknown-unknown) export RUSTC_BOOTSTRAP=1 ;;
  esac
done
exec "$@"
