#!/usr/bin/python3
"""BASELINE.md's grid search with scikit-learn, the reference of bench/tuning-grid.sh (run it in the same session).

Usage: /usr/bin/python3 bench/tuning-sklearn.py customers [titanic ...]

Protocol (BASELINE.md): stratified (classification) 80/20 split, random_state=42; median imputation + standard
scaling of numeric columns, most-frequent imputation + one-hot (handle_unknown='ignore') of string columns; every
non-target column a feature. GridSearchCV over RandomForest n_estimators {50, 100, 200} x max_depth {None, 8, 16},
5 folds (StratifiedKFold / KFold, shuffle=True, random_state=42), accuracy or R2, n_jobs=2, refit of the best.
Prints per grid: wall s, CPU s of this process and its children (the joblib workers), best params and CV score,
the refit's test score, and the 1-minute load average.
"""
import os
import resource
import sys
import time

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = os.environ.get("DATASETS", "/work/shared/datasets")
TARGETS = {"customers": ("Churn", True), "titanic": ("Survived", True), "iris": ("species", True),
           "adult": ("income", True), "california_housing": ("median_house_value", False)}


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(name):
    target, classification = TARGETS[name]
    df = pd.read_csv(os.path.join(DATA, name + ".csv"))
    y = df[target]
    x = df.drop(columns=[target])
    categorical = [c for c in x.columns if x[c].dtype == object]
    numeric = [c for c in x.columns if c not in categorical]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42,
                                                        stratify=y if classification else None)
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical)])
    model = RandomForestClassifier() if classification else RandomForestRegressor()
    cv = (StratifiedKFold if classification else KFold)(n_splits=5, shuffle=True, random_state=42)
    search = GridSearchCV(Pipeline([("pre", pre), ("model", model)]),
                          {"model__n_estimators": [50, 100, 200], "model__max_depth": [None, 8, 16]},
                          cv=cv, scoring="accuracy" if classification else "r2", n_jobs=2, refit=True)
    t0, c0 = time.perf_counter(), cpu_seconds()
    search.fit(x_train, y_train)
    wall = time.perf_counter() - t0
    # The joblib workers' CPU time counts once they have exited and been waited for.
    from joblib.externals.loky import get_reusable_executor
    get_reusable_executor().shutdown(wait=True)
    cpu = cpu_seconds() - c0
    predicted = search.predict(x_test)
    test = accuracy_score(y_test, predicted) if classification else r2_score(y_test, predicted)
    p = search.best_params_
    print("| %s | scikit-learn | %.1f | %.1f | %.4f (n_estimators %d, max_depth %s) | test %s %.4f | load %.1f |" % (
        name, wall, cpu, search.best_score_, p["model__n_estimators"], p["model__max_depth"],
        "accuracy" if classification else "r2", test, os.getloadavg()[0]), flush=True)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["customers"]:
        run(arg)
