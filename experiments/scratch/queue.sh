#!/bin/bash
# usage: queue.sh file_with_arg_lines out.jsonl ; runs 2 at a time
cd /work/main
xargs -P 2 -L 1 -I{} sh -c 'PYTHONPATH=. python experiments/scratch/proto.py {} >> '"$2"' 2>>experiments/scratch/err.log' < "$1"
