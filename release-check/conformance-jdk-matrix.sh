#!/usr/bin/env bash
# The conformance runner on each JDK against the temperature example UDF on each JDK, as a process
# UDF and as a socket UDF. Run after ./mvnw package; output recorded in conformance-jdk-matrix.log.
set -uo pipefail
cd "$(dirname "$0")/.."
JDKS=("${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}" "${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}")
RUNNER=src-test-fixtures/target/udf-conformance.jar
UDF=udf-examples/target/udf-examples.jar
SOCKETS="$(mktemp -d)"
trap 'rm -rf "$SOCKETS"' EXIT
version() { "$1/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2; }
for runner in "${JDKS[@]}"; do
  for udf in "${JDKS[@]}"; do
    result=$("$runner/bin/java" -jar "$RUNNER" --init ".field('value')" \
      --process "$udf/bin/java" -jar "$UDF" temperature 2>/dev/null | tail -1)
    echo "process UDF on $(version "$udf"), runner on $(version "$runner"): $result"
    socket="$SOCKETS/temperature-$RANDOM.sock"
    "$udf/bin/java" -jar "$UDF" temperature --socket "$socket" 2>/dev/null &
    server=$!
    result=$("$runner/bin/java" -jar "$RUNNER" --init ".field('value')" --socket "$socket" 2>/dev/null | tail -1)
    echo "socket UDF on $(version "$udf"), runner on $(version "$runner"): $result"
    kill "$server"
    wait "$server" 2>/dev/null
  done
done
