#!/usr/bin/env bash
# Measures how long a process UDF takes from JVM start until it has answered Kapacitor's Info and
# exited at end of input: what kapacitord waits for at its own start, once per process UDF, before
# it serves anything. Compares the JVM's defaults with the recommended flags and with an AppCDS
# archive of the jar's classes.
#
# usage: deploy/measure-startup.sh [JAR] [UDF]      (RUNS=10 by default; run from udf-examples/)
set -euo pipefail

JAR=${1:-target/udf-examples.jar}
UDF=${2:-temperature}
RUNS=${RUNS:-10}
FAST=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xss512k -Xlog:disable -Xlog:all=warning:stderr)
CDS=$(mktemp -d)/udf-examples.jsa
trap 'rm -rf "$(dirname "$CDS")"' EXIT

# One InfoRequest, framed: length 2, field 1 (info), empty message.
INFO='\x02\x0a\x00'
# Info then Init with no options: the archive then also holds the classes Init loads (rfc trains).
INFO_INIT='\x02\x0a\x00\x02\x12\x00'

median() { sort -n | awk '{a[NR] = $1} END {print int(a[int((NR + 1) / 2)] * 1000)}'; }

# Prints the median wall time and CPU time (user + system, less disturbed by other load) of RUNS runs.
measure() {
  local name=$1; shift
  local runs; runs=$(mktemp)
  local TIMEFORMAT='%R %U %S'
  for ((i = 0; i < RUNS; i++)); do
    { time (printf "$INFO" | java "$@" -jar "$JAR" "$UDF" > /dev/null 2>&1); } 2>> "$runs"
  done
  printf "%-28s wall median %5d ms (min %5d)   cpu median %5d ms\n" "$name" \
    "$(cut -d' ' -f1 "$runs" | median)" "$(cut -d' ' -f1 "$runs" | sort -n | head -1 | awk '{print int($1 * 1000)}')" \
    "$(awk '{print $2 + $3}' "$runs" | median)"
  rm -f "$runs"
}

echo "$UDF: start to InfoResponse and exit, $RUNS runs each, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "recommended flags: ${FAST[*]}"

measure "JVM defaults"
measure "recommended flags" "${FAST[@]}"
printf "$INFO_INIT" | java -XX:ArchiveClassesAtExit="$CDS" "${FAST[@]}" -jar "$JAR" "$UDF" > /dev/null 2>&1
measure "the flags + AppCDS archive" "${FAST[@]}" -XX:SharedArchiveFile="$CDS"
