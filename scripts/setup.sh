#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the benchmarks need.
# Quick when everything is present: apt runs only for what is missing.
set -euo pipefail
packages=(
  cmake ninja-build g++ python3 pkg-config
  clang-19 libclang-19-dev llvm-19-dev llvm-19-tools clang-tools-19
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev liburing-dev
  libboost-context-dev libasio-dev libssl-dev libpq-dev valgrind
  postgresql openssl libcurl4-openssl-dev
  qemu-user g++-aarch64-linux-gnu
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
