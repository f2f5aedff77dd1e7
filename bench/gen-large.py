#!/usr/bin/env python3
"""Generates the large synthetic table of issue 18: N rows x 7 features (5 numeric, 2 categorical) and a
binary target drawn from a logistic model with interactions, so no model reaches 100 %.
Usage: bench/gen-large.py ROWS OUT.csv [SEED]   (1,000,000 rows = about 35 MB)"""
import math
import random
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
regions = ["north", "south", "east", "west", "centre"]
plans = ["basic", "plus", "premium"]
region_effect = {"north": 0.3, "south": -0.2, "east": 0.1, "west": -0.4, "centre": 0.0}
plan_effect = {"basic": -0.5, "plus": 0.2, "premium": 0.6}
with open(out, "w") as f:
    f.write("age,income,tenure,usage,score,region,plan,churn\n")
    for _ in range(rows):
        age = rng.randint(18, 80)
        income = round(rng.lognormvariate(10.5, 0.6), 2)
        tenure = rng.randint(0, 120)
        usage = round(rng.gammavariate(2.0, 15.0), 3)
        score = round(rng.gauss(0, 1), 4)
        region = rng.choice(regions)
        plan = rng.choice(plans)
        z = (0.03 * (age - 45) - 0.4 * math.log(income / 36000.0) - 0.02 * tenure + 0.015 * usage
             + 0.8 * score * (1 if usage > 30 else -0.5) + region_effect[region] + plan_effect[plan]
             + (0.7 if tenure < 12 and plan == "basic" else 0.0))
        churn = 1 if rng.random() < 1.0 / (1.0 + math.exp(-z)) else 0
        f.write(f"{age},{income},{tenure},{usage},{score},{region},{plan},{churn}\n")
