#!/usr/bin/python3
"""scikit-learn's side of bench/fit-large.sh (issue 18): the BASELINE.md protocol (stratified 80/20 split,
random_state=42; median imputation + standard scaling for numeric columns, most-frequent imputation + one-hot for
categorical ones), one model per process, fit time of the pipeline, peak RSS of the process, test accuracy.
Usage: bench/fit-large-sklearn.py CSV TARGET MODEL [n_estimators]   (MODEL: RandomForest | LogisticRegression)
Run it with Debian's /usr/bin/python3 (python3-sklearn 1.2.1)."""
import os
import resource
import sys
import time

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

csv, target, model = sys.argv[1], sys.argv[2], sys.argv[3]
trees = int(sys.argv[4]) if len(sys.argv) > 4 else 50
df = pd.read_csv(csv)
y = df.pop(target)
numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
categorical = [c for c in df.columns if c not in numeric]
pre = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical),
])
est = (RandomForestClassifier(n_estimators=trees, n_jobs=os.cpu_count(), random_state=42) if model == "RandomForest"
       else LogisticRegression(max_iter=1000))
x_train, x_test, y_train, y_test = train_test_split(df, y, test_size=0.2, stratify=y, random_state=42)
pipe = Pipeline([("pre", pre), ("model", est)])
start = time.perf_counter()
cpu = time.process_time()
pipe.fit(x_train, y_train)
fit_s = time.perf_counter() - start
cpu_s = time.process_time() - cpu  # this process only: joblib's workers are threads for forests
acc = (pipe.predict(x_test) == y_test).mean()
n_iter = int(max(getattr(est, "n_iter_", [0])))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"sklearn {model} n_estimators={trees} rows={len(df)} fit_s={fit_s:.3f} cpu_s={cpu_s:.3f} "
      f"peak_rss_mb={peak} accuracy={acc:.4f} n_iter={n_iter}")
