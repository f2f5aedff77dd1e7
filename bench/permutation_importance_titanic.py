#!/usr/bin/python3
"""scikit-learn reference for the permutation importance of a titanic RandomForest (issue 14).

Protocol of shared/datasets/BASELINE.md: stratified 80/20 split (random_state=42), median imputation + standard
scaling of numeric columns, most-frequent imputation + one-hot (handle_unknown='ignore') of string columns,
RandomForestClassifier(n_estimators=100) with defaults; then
sklearn.inspection.permutation_importance(pipeline, X_test, y_test, n_repeats=5, random_state=42) (score: accuracy),
per input column. Run for several forest seeds, since one forest's ranking moves with its seed.

Usage: /usr/bin/python3 bench/permutation_importance_titanic.py [path/to/titanic.csv]
(Debian's python3-sklearn, 1.2.1 like BASELINE.md). Prints, per forest seed, the features by decreasing mean drop.
"""
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path = sys.argv[1] if len(sys.argv) > 1 else "samples/titanic.csv"
df = pd.read_csv(path)
y = df["Survived"]
X = df.drop(columns=["Survived"])
numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
categorical = [c for c in X.columns if c not in numeric]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
pre = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), categorical),
])
means = {c: [] for c in X.columns}
for seed in range(42, 47):
    model = Pipeline([("pre", pre), ("rf", RandomForestClassifier(n_estimators=100, random_state=seed))])
    model.fit(X_train, y_train)
    r = permutation_importance(model, X_test, y_test, n_repeats=5, random_state=42)
    order = np.argsort(-r.importances_mean)
    print(f"forest seed {seed}: accuracy {model.score(X_test, y_test):.4f}; " + ", ".join(
        f"{X.columns[i]} {r.importances_mean[i]:.4f}±{r.importances_std[i]:.4f}" for i in order))
    for i, c in enumerate(X.columns):
        means[c].append(r.importances_mean[i])
avg = sorted(((np.mean(v), c) for c, v in means.items()), reverse=True)
print("mean over forest seeds: " + ", ".join(f"{c} {m:.4f}" for m, c in avg))

# The same protocol with LogisticRegression(max_iter=1000): our logistic regression has the same objective, so its
# permutation importance (same split, same shuffles) should match closely; it checks the protocol itself.
from sklearn.linear_model import LogisticRegression
model = Pipeline([("pre", pre), ("lr", LogisticRegression(max_iter=1000))])
model.fit(X_train, y_train)
r = permutation_importance(model, X_test, y_test, n_repeats=5, random_state=42)
order = np.argsort(-r.importances_mean)
print(f"LogisticRegression: accuracy {model.score(X_test, y_test):.4f}; " + ", ".join(
    f"{X.columns[i]} {r.importances_mean[i]:.4f}±{r.importances_std[i]:.4f}" for i in order))
