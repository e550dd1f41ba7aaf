#!/usr/bin/env bash
# Measures how long a process UDF takes from JVM start until it has answered Kapacitor's Info and
# exited at end of input: what kapacitord waits for at its own start, once per process UDF, before
# it serves anything. Then the same with an Init after the Info (no options, so rfc trains its
# 600-tree forest): that Init must succeed and answer within the UDF's timeout.
#
# Compares flag sets run by run, interleaved, so that a change in the machine's load hits every set
# alike. By default: the JVM's defaults, the recommended flags, and the recommended flags with an
# AppCDS archive of the jar's classes (made first, with the recommended flags, by running ARCHIVE_UDF
# through Info and Init, as the README's command does). More sets with --set 'NAME=FLAGS'; in FLAGS,
# @ARCHIVE@ stands for that archive.
#
# usage: deploy/measure-startup.sh [--set 'NAME=FLAGS']... [JAR [UDF...]]   (run from udf-examples/)
#   RUNS=10 runs per set, UDF and request (default), ARCHIVE_UDF=rfc, INIT=1 (0: Info only),
#   RAW=FILE to keep every run (run, UDF, request, set, wall s, cpu s, ok, training ms)
#   e.g. deploy/measure-startup.sh --set 'C1 only=-XX:TieredStopAtLevel=1' target/udf-examples.jar temperature rfc
set -euo pipefail

FLAGS=(-Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -Xmn8m -Xmx32m -XX:TieredStopAtLevel=1)

NAMES=("JVM defaults" "recommended flags")
SETS=("" "${FLAGS[*]}")
while [[ ${1:-} == --set ]]; do
  NAMES+=("${2%%=*}"); SETS+=("${2#*=}"); shift 2
done
NAMES+=("recommended flags + AppCDS")
SETS+=("${FLAGS[*]} -XX:SharedArchiveFile=@ARCHIVE@")

JAR=${1:-target/udf-examples.jar}
shift || true
UDFS=("${@:-temperature}")
RUNS=${RUNS:-10}
ARCHIVE_UDF=${ARCHIVE_UDF:-rfc}
INIT=${INIT:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CDS=$WORK/udf-examples.jsa

# One InfoRequest, framed: length 2, field 1 (info), empty message.
INFO='\x02\x0a\x00'
# Info then Init with no options.
INFO_INIT='\x02\x0a\x00\x02\x12\x00'
# The last frame of a successful Init: length 4, field 2 (init), InitResponse{success: true}.
INIT_OK='04 12 02 08 01'

load() { cut -d' ' -f1-3 /proc/loadavg; }

# One run: appends "wall cpu ok training_ms" to $1 (cpu = user + system; training_ms from rfc's log, or -).
run() {
  local out=$1 request=$2 udf=$3; shift 3
  local TIMEFORMAT='%R %U %S' t ok=1 training
  t=$( { time (printf "$request" | java "$@" -jar "$JAR" "$udf" > "$WORK/stdout" 2> "$WORK/stderr"); } 2>&1 ) || ok=0
  if [[ $request == "$INFO_INIT" && $(tail -c 5 "$WORK/stdout" | od -An -tx1 | xargs) != "$INIT_OK" ]]; then ok=0; fi
  training=$(sed -n 's/.*trained a forest.* in \([0-9]*\) ms$/\1/p' "$WORK/stderr")
  ((ok)) || { echo "  failed: $udf ${*:-(defaults)}" >&2; tail -5 "$WORK/stderr" >&2; }
  echo "$t $ok ${training:--}" | awk '{print $1, $2 + $3, $4, $5}' >> "$out"
}

# Median and minimum, in ms, of a column of seconds.
stat_ms() { sort -n | awk '{a[NR] = $1} END {printf "%5d %5d", a[int((NR + 1) / 2)] * 1000, a[1] * 1000}'; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

report() {
  local file=$1 name=$2 wall cpu
  read -r wall wallmin <<< "$(cut -d' ' -f1 "$file" | stat_ms)"
  read -r cpu _ <<< "$(cut -d' ' -f2 "$file" | stat_ms)"
  printf "  %-34s wall median %5d ms (min %5d)   cpu median %5d ms   ok %d/%d" "$name" "$wall" "$wallmin" "$cpu" \
    "$(awk '{s += $3} END {print s}' "$file")" "$(wc -l < "$file")"
  if grep -qv ' -$' "$file"; then printf "   training median %d ms" "$(grep -v ' -$' "$file" | cut -d' ' -f4 | median)"; fi
  echo
}

echo "$(date -u '+%F %H:%M') UTC, $(nproc) cores, load average $(load) before; $(java -version 2>&1 | head -1)"
echo "jar $JAR; $RUNS runs per set, interleaved run by run; recommended flags: ${FLAGS[*]}"
printf "$INFO_INIT" | java -XX:ArchiveClassesAtExit="$CDS" "${FLAGS[@]}" -jar "$JAR" "$ARCHIVE_UDF" > /dev/null 2>&1
echo "AppCDS archive: $ARCHIVE_UDF through Info and Init with the recommended flags, $(($(stat -c %s "$CDS") / 1048576)) MiB"
for ((s = 0; s < ${#SETS[@]}; s++)); do
  echo "set $s, ${NAMES[s]}: ${SETS[s]:-(none)}" | sed "s|@ARCHIVE@|ARCHIVE|"
done

for ((i = 0; i < RUNS; i++)); do
  for udf in "${UDFS[@]}"; do
    for ((s = 0; s < ${#SETS[@]}; s++)); do
      read -ra flags <<< "${SETS[s]//@ARCHIVE@/$CDS}"
      run "$WORK/info-$udf-$s" "$INFO" "$udf" "${flags[@]}"
      [[ -z ${RAW:-} ]] || echo "$i $udf info $s $(tail -1 "$WORK/info-$udf-$s")" >> "$RAW"
      if ((INIT)); then
        run "$WORK/init-$udf-$s" "$INFO_INIT" "$udf" "${flags[@]}"
        [[ -z ${RAW:-} ]] || echo "$i $udf init $s $(tail -1 "$WORK/init-$udf-$s")" >> "$RAW"
      fi
    done
  done
done

for udf in "${UDFS[@]}"; do
  echo "$udf, start to InfoResponse and exit at end of input:"
  for ((s = 0; s < ${#SETS[@]}; s++)); do report "$WORK/info-$udf-$s" "${NAMES[s]}"; done
  if ((INIT)); then
    echo "$udf, start to Info and InitResponse (success checked) and exit:"
    for ((s = 0; s < ${#SETS[@]}; s++)); do report "$WORK/init-$udf-$s" "${NAMES[s]}"; done
  fi
done
echo "load average $(load) after, $(date -u '+%H:%M') UTC"
