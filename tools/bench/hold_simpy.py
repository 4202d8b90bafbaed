#!/usr/bin/python3
"""The hold model in SimPy, the reference the engine benchmark is compared with.

P processes each wait Exp(1) in a loop; the run ends after E timeouts have been processed.
Run with Debian's Python (python3-simpy3):  /usr/bin/python3 tools/bench/hold_simpy.py
Prints key=value lines like build/chiptrail-bench.
"""
import argparse
import random
import time

import simpy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=10000)
    parser.add_argument("--events", type=int, default=500000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    env = simpy.Environment()
    rng = random.Random(args.seed)
    done = env.event()
    remaining = [args.events + args.pending]

    def holder():
        while True:
            yield env.timeout(rng.expovariate(1.0))
            remaining[0] -= 1
            if remaining[0] == 0:
                done.succeed()

    for _ in range(args.pending):
        env.process(holder())
    env.run(until=env.timeout(0))  # every process has started and waits on its first timeout
    remaining[0] = args.events
    start = time.perf_counter()
    env.run(until=done)
    seconds = time.perf_counter() - start
    print("benchmark=hold_simpy")
    print(f"pending={args.pending}")
    print(f"events={args.events}")
    print(f"simpy_events_per_s={args.events / seconds:.0f}")


if __name__ == "__main__":
    main()
