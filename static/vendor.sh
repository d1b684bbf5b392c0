#!/usr/bin/env bash
# Vendors Debrief's front-end dependencies from the npm registry.
#
#   static/vendor.sh
#
# For each pinned package it downloads the tarball with `npm pack`, copies
# the files we serve into static/vendor/ (axe-core, used only by the browser
# tests, goes to app/e2e/testdata/), and writes static/vendor/VERSIONS with
# the version, tarball integrity and sha256 of every copied file. The running
# app never loads anything from the internet. Change a version here, run the
# script, review the diff and commit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# package@version  file-in-tarball  destination (relative to repo root)
files=(
  "htmx.org@2.0.11     package/dist/htmx.min.js     static/vendor/htmx.min.js"
  "htmx-ext-sse@2.2.4  package/dist/sse.min.js      static/vendor/htmx-ext-sse.min.js"
  "echarts@6.1.0       package/dist/echarts.min.js  static/vendor/echarts.min.js"
  "axe-core@4.14.1     package/axe.min.js           app/e2e/testdata/axe.min.js"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

out="$root/static/vendor/VERSIONS"
{
  echo "# Written by static/vendor.sh; do not edit by hand."
  echo "# package@version  file  sha256  tarball-integrity"
} >"$out.tmp"

for line in "${files[@]}"; do
  read -r spec src dest <<<"$line"
  tgz=$(cd "$work" && npm pack "$spec" --silent --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s)[0];console.log(j.filename+" "+j.integrity)})')
  read -r file integrity <<<"$tgz"
  mkdir -p "$work/${spec%%@*}"
  tar -xzf "$work/$file" -C "$work/${spec%%@*}"
  mkdir -p "$(dirname "$root/$dest")"
  cp "$work/${spec%%@*}/$src" "$root/$dest"
  sum=$(sha256sum "$root/$dest" | cut -d' ' -f1)
  echo "$spec  $dest  $sum  $integrity" >>"$out.tmp"
  echo "vendored $spec -> $dest"
done
mv "$out.tmp" "$out"
