#!/usr/bin/env python3
"""Selection over the same chains: majority vote, confident-vote (η = 0.9 and 0.1) and any-chain.

Reads the traces a `ponder eval --strategies confident-vote` run stored (every chain with its
extracted answer and DeepConf's measures) and re-selects over exactly those chains, so every row
is the same compute and the difference between rows is selection alone. The rules are the ones
`ConfidentVoteStrategy` uses: keep the most confident ceil(η·n) chains by lowest group confidence,
weight each vote by it. A consistency check compares the η = 0.9 row with what the run itself
scored. Early-stopping runs are reported as stored (their chains differ).

    scripts/selection_report.py .measure/selection.sqlite RUN_ID [RUN_ID ...]
"""
import json
import math
import sqlite3
import sys
from fractions import Fraction


def same(a, b):
    if a is None or b is None:
        return False
    if a == b:
        return True
    try:
        return Fraction(a.replace(",", "")) == Fraction(b.replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return a.strip().lower() == b.strip().lower()


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def majority(chains):
    counts = {}
    for c in chains:
        if c.get("extracted_answer") is not None:
            counts[c["extracted_answer"]] = counts.get(c["extracted_answer"], 0) + 1
    if not counts:
        return None
    top = max(counts.values())
    # Ties go to the answer the earliest chain gave (the vote's own order).
    for c in chains:
        if counts.get(c.get("extracted_answer")) == top:
            return c["extracted_answer"]


def confident(chains, keep):
    voting = [c for c in chains if not c.get("stopped_low_confidence")]
    if not voting:
        return None
    if all(c.get("confidence") for c in voting):
        n = max(1, math.ceil(len(voting) * keep))
        voting = sorted(voting, key=lambda c: -c["confidence"]["lowest_group_confidence"])[:n]
        weight = lambda c: max(c["confidence"]["lowest_group_confidence"], 0)
    else:
        weight = lambda c: 1
    weights = {}
    for c in voting:
        if c.get("extracted_answer") is not None:
            weights[c["extracted_answer"]] = weights.get(c["extracted_answer"], 0) + weight(c)
    if not weights:
        return None
    return max(weights.items(), key=lambda kv: (kv[1], [-ord(ch) for ch in kv[0]]))[0]


def main():
    db, runs = sys.argv[1], sys.argv[2:]
    con = sqlite3.connect(db)
    for run in runs:
        rows = con.execute("SELECT expected, correct, trace, reasoningTokens + answerTokens, seconds, strategy, effort "
                           "FROM result WHERE runID = ? ORDER BY position", (run,)).fetchall()
        if not rows:
            print(f"{run}: no results")
            continue
        n = len(rows)
        tally = {"majority": 0, "confident η=0.9": 0, "confident η=0.1": 0, "any chain": 0, "as stored": 0}
        mismatches = 0
        tokens = seconds = 0
        for expected, correct, trace_json, spent, secs, strategy, effort in rows:
            trace = json.loads(trace_json)
            chains = trace["samples"]
            tokens += spent
            seconds += secs
            tally["as stored"] += bool(correct)
            tally["majority"] += same(majority(chains), expected)
            high = same(confident(chains, 0.9), expected)
            tally["confident η=0.9"] += high
            tally["confident η=0.1"] += same(confident(chains, 0.1), expected)
            tally["any chain"] += any(same(c.get("extracted_answer"), expected) for c in chains
                                      if not c.get("stopped_low_confidence"))
            if strategy == "confident-vote" and high != bool(correct):
                mismatches += 1
        print(f"\n{run} ({rows[0][5]}@{rows[0][6]}): {n} problems, mean tokens {tokens / n:.0f}, mean seconds {seconds / n:.1f}")
        for name, k in tally.items():
            lo, hi = wilson(k, n)
            print(f"  {name:18s} {k:4d}/{n} = {100 * k / n:5.1f}%  (95% CI {100 * lo:.1f}–{100 * hi:.1f})")
        print(f"  consistency: the η=0.9 re-selection disagrees with the stored grade on {mismatches} problem(s)")


if __name__ == "__main__":
    main()
