#!/usr/bin/env bash
# Every benchmark table of benchmarks/README.md, in order (about 75 minutes on 2 cores).
# Tables go to stdout (and results/latest.md when run as below); raw rows to results/*.jsonl.
#   benchmarks/run_all.sh 2>benchmarks/results/progress.log | tee benchmarks/results/latest.md
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUN="$PY benchmarks/run.py --check"

# The bundled Điện Biên example (locks, floors, mandatory needs: CP-SAT).
$RUN --scale dien-bien --methods auto cpsat mcf highs greedy --highs-time-limit 60
# One province (Điện Biên-sized): network, then 30 % part-time needs.
$RUN --scale province --seeds 0 --methods auto cpsat mcf highs greedy --highs-time-limit 60
$RUN --scale province --part-time 0.3 --seeds 0 1 2 \
    --methods auto mcf highs highs-gap greedy --highs-time-limit 60
# A large province (Phú Thọ-sized).
$RUN --scale large --seeds 0 --methods auto cpsat mcf highs greedy --highs-time-limit 120
$RUN --scale large --part-time 0.3 --seeds 0 1 2 \
    --methods auto mcf highs highs-gap greedy --highs-time-limit 180
# The nation (34 provinces, 3,321 communes). HiGHS with default presolve overruns its
# time limit here, so it runs last with a hard kill.
$RUN --scale nation --seeds 0 --methods auto cpsat mcf highs-nopre greedy highs \
    --highs-time-limit 300 --kill-after 600
$RUN --scale nation --part-time 0.3 --seeds 0 \
    --methods auto mcf highs-nopre highs-gap-nopre greedy highs \
    --highs-time-limit 300 --kill-after 600
