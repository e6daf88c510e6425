#!/usr/bin/env bash
# Prepares what check.sh carries to a GPU machine that has no Java and no network:
#   device/dist/     the module's jar and its runtime dependency jars (JCuda natives included)
#   device/runtime/  a jlink Java runtime (java.base + java.logging, about 35-50 MB)
# Both are git-ignored. Run on the build machine (JDK 17 with jlink, Maven, ~/.m2 populated), from anywhere:
#   gpu-backend/device/package.sh [--no-runtime]
# Needs costmodel installed in ~/.m2 (mvn -o -pl costmodel install) and builds only this module, offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
mvn -B -o -q -pl gpu-backend package -DskipTests
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -o -q -pl gpu-backend dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$cp_file"
rm -rf "$here/dist"
mkdir -p "$here/dist"
cp gpu-backend/target/mohge-gpu-backend-*.jar "$here/dist/"
tr ':' '\n' < "$cp_file" | while read -r jar || [ -n "$jar" ]; do
  [ -n "$jar" ] && cp "$jar" "$here/dist/"
done
echo "dist: $(ls "$here/dist" | wc -l) jars, $(du -sh "$here/dist" | cut -f1)"
if [ "${1:-}" != "--no-runtime" ]; then
  rm -rf "$here/runtime"
  jlink --add-modules java.base,java.logging --strip-debug --no-header-files --no-man-pages \
        --compress=2 --output "$here/runtime"
  echo "runtime: $(du -sh "$here/runtime" | cut -f1) ($("$here/runtime/bin/java" -version 2>&1 | head -1))"
fi
