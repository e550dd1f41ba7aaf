#!/bin/sh
# The launcher's final flags against the fallback and the old flags, then Info only, more runs.
L=dist/bin/udf-examples
J25=/usr/lib/jvm/temurin-25-jdk-amd64
OLD='-XX:+UseSerialGC -Xmn24m -Xmx64m'
sets() {
  java -cp benchmarks.jar io.pointdata.udf.bench.PacedFootprint "$@" \
    --set java-jar "java -jar dist/lib/udf-examples.jar temperature" \
    --set launcher-old-flags "env UDF_JAVA_OPTS='$OLD' $L temperature" \
    --set launcher "$L temperature" \
    --set launcher-noarchive "env UDF_ARCHIVE_DIR=/nonexistent $L temperature" \
    --set launcher-jdk25-aot "env JAVA_HOME=$J25 $L temperature" \
    --set launcher-jdk25-noaot "env JAVA_HOME=$J25 UDF_ARCHIVE_DIR=/nonexistent $L temperature"
}
sets --runs 5 --points 400000 --rate 50000 > footprint-2.txt 2>&1
sets --runs 15 --points 20000 --rate 50000 > info-2.txt 2>&1
