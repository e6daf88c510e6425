#!/usr/bin/env bash
# Prepares what check.sh carries to a GPU machine that has no Java and no network:
#   device/dist/     the mohge CLI jar and every runtime jar it needs (gpu-backend and JCuda natives
#                    included), so check.sh can run both the backend checks and `mohge calibrate/validate`
#   device/runtime/  a jlink Java runtime (java.base, java.logging, java.sql, java.xml; about 40 MB)
# Both are git-ignored; together they stay under the device tool's 64 MiB carry limit.
# Run on the build machine (JDK 17 with jlink, Maven, ~/.m2 populated), from anywhere:
#   gpu-backend/device/package.sh [--no-runtime]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
mvn -B -o -q -pl cli -am package -DskipTests
rm -rf "$here/dist"
mkdir -p "$here/dist"
cp cli/target/mohge-cli.jar cli/target/lib/*.jar "$here/dist/"
# Charts are not drawn on the device: leave JFreeChart out to save space.
rm -f "$here"/dist/jfreechart-*.jar
echo "dist: $(ls "$here/dist" | wc -l) jars, $(du -sh "$here/dist" | cut -f1)"
if [ "${1:-}" != "--no-runtime" ]; then
  rm -rf "$here/runtime"
  jlink --add-modules java.base,java.logging,java.sql,java.xml --strip-debug --no-header-files --no-man-pages \
        --compress=2 --output "$here/runtime"
  echo "runtime: $(du -sh "$here/runtime" | cut -f1) ($("$here/runtime/bin/java" -version 2>&1 | head -1))"
fi
