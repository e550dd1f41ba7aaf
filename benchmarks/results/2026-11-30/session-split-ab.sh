#!/bin/sh
# SessionBenchmark, EII point: the build before the split (BEFORE jar) and after (AFTER jar), taking turns.
BEFORE=$1; AFTER=$2
for round in 1 2; do
  for build in before after; do
    jar=$BEFORE; [ $build = after ] && jar=$AFTER
    echo "=== round $round, $build; load: $(cat /proc/loadavg)"
    java -jar $jar SessionBenchmark -p shape=eii -f 1 -wi 2 -w 2 -i 4 -r 2 -prof gc 2>&1 \
      | grep -E '^SessionBenchmark|^Benchmark' | grep -E 'Benchmark +\(|session +|gc.alloc.rate.norm'
  done
done
