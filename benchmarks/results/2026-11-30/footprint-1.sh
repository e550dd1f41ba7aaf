#!/bin/sh
# The footprint sets, interleaved run by run (BENCHMARKS.md).
L=dist/bin/udf-examples
J25=/usr/lib/jvm/temurin-25-jdk-amd64
OLD='-XX:+UseSerialGC -Xmn24m -Xmx64m'
HEAP='-XX:+UseSerialGC -Xmn8m -Xmx32m'
C1="$HEAP -XX:TieredStopAtLevel=1"
C1CC="$C1 -XX:ReservedCodeCacheSize=16m"
SMALL='-XX:+UseSerialGC -Xmn4m -Xmx24m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m'
exec java -cp benchmarks.jar io.pointdata.udf.bench.PacedFootprint --runs "${RUNS:-5}" --points 400000 --rate 50000 \
  --set java-jar "java -jar dist/lib/udf-examples.jar temperature" \
  --set old-flags "env UDF_JAVA_OPTS='$OLD' $L temperature" \
  --set heap-8-32 "env UDF_JAVA_OPTS='$HEAP' $L temperature" \
  --set c1 "env UDF_JAVA_OPTS='$C1' $L temperature" \
  --set c1-cc16 "env UDF_JAVA_OPTS='$C1CC' $L temperature" \
  --set c1-cc16-noarch "env UDF_ARCHIVE_DIR=/nonexistent UDF_JAVA_OPTS='$C1CC' $L temperature" \
  --set c1-cc16-4-24 "env UDF_JAVA_OPTS='$SMALL' $L temperature" \
  --set jdk25-c1-cc16 "env JAVA_HOME=$J25 UDF_JAVA_OPTS='$C1CC' $L temperature"
